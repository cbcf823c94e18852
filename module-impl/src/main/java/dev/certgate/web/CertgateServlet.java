package dev.certgate.web;

import dev.certgate.CertgateRuntime;
import dev.certgate.metrics.MetricsEndpoint;
import dev.certgate.proxy.ProxyCore;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.MappingMatch;

import java.io.IOException;
import java.util.Locale;

/**
 * The gateway as a servlet: every request it receives is proxied (or answered with an error). Mapped
 * at {@code /*}, or under a prefix such as {@code /gateway/*}, in which case APIs are matched below it.
 * Gets its runtime from the context (see {@link RuntimeLocator}) unless given a core directly.
 */
public class CertgateServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    private transient ProxyCore core;
    /** The unauthenticated scrape path of the runtime's metrics; null for a core given directly. */
    private transient MetricsEndpoint metrics;
    private transient boolean ownsRuntime;
    /** See {@link ProxyCore#handleBelow}: the last byte of an answer held whole may be left to an async dispatch. */
    private transient boolean lastByteOnDispatch;

    public CertgateServlet() {
    }

    /** For programmatic registration with a core built elsewhere. */
    public CertgateServlet(ProxyCore core) {
        this.core = core;
    }

    @Override
    public void init() throws ServletException {
        lastByteOnDispatch = onJetty(getServletContext().getServerInfo());
        if (core == null) {
            CertgateRuntime runtime =
                    RuntimeLocator.acquire(getServletContext(), getInitParameter(RuntimeLocator.HOME_PARAMETER));
            core = runtime.proxy();
            metrics = runtime.metricsEndpoint();
            ownsRuntime = true;
        }
    }

    /** All methods go to the core as they are: HttpServlet's own HEAD, OPTIONS and TRACE handling would answer for the back end. */
    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        if (metrics != null && metrics.answer(request, response)) {
            return;
        }
        core.handleBelow(request, response, gatewayPrefix(request), lastByteOnDispatch);
    }

    /**
     * Jetty's output is ready for a write in an async dispatch once the writes before it were taken, and completing
     * the async context from another thread wakes one of its threads to finish the request anyway, which the
     * dispatch uses instead. Tomcat answers that its output is not ready there.
     */
    static boolean onJetty(String serverInfo) {
        return serverInfo != null && serverInfo.toLowerCase(Locale.ROOT).startsWith("jetty/");
    }

    /** The context path and, for a prefix mapping such as {@code /gateway/*}, that prefix: APIs are matched below it. */
    static String gatewayPrefix(HttpServletRequest request) {
        String prefix = request.getContextPath();
        HttpServletMapping mapping = request.getHttpServletMapping();
        if (mapping != null && mapping.getMappingMatch() == MappingMatch.PATH) {
            prefix += request.getServletPath();
        }
        return prefix;
    }

    @Override
    public void destroy() {
        if (ownsRuntime) {
            RuntimeLocator.release(getServletContext());
        }
    }
}
