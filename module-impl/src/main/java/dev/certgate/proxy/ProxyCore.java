package dev.certgate.proxy;

import dev.certgate.certs.CertificateStore;
import dev.certgate.config.ConfigService;
import dev.certgate.outbound.ClientPools;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/** STUB (owner: proxy work). Routes a request to an API and forwards it; the one core behind servlet and filter. */
public final class ProxyCore {
    public ProxyCore(ConfigService config, CertificateStore certificates, ClientPools pools) {
        throw new UnsupportedOperationException("stub");
    }

    /** True when some API matches the request path (the filter passes other requests down its chain). */
    public boolean matches(HttpServletRequest request) {
        throw new UnsupportedOperationException("stub");
    }

    /** Proxies the request, writing the back end's response or an explained error. */
    public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw new UnsupportedOperationException("stub");
    }
}
