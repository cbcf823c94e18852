package dev.certgate.web;

import dev.certgate.CertgateRuntime;
import dev.certgate.metrics.MetricsEndpoint;
import dev.certgate.proxy.ProxyCore;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;

/**
 * The gateway inside someone else's web application (CONTRACT §6): proxies requests whose path (below
 * the context) matches an API, and passes every other request down the chain untouched. Init-param
 * {@code certgate.home} names the home.
 */
public class CertgateFilter implements Filter {
    private ProxyCore core;
    /** The unauthenticated scrape path of the runtime's metrics; null for a core given directly. */
    private MetricsEndpoint metrics;
    private ServletContext ownedContext;

    public CertgateFilter() {
    }

    /** For programmatic registration with a core built elsewhere. */
    public CertgateFilter(ProxyCore core) {
        this.core = core;
    }

    @Override
    public void init(FilterConfig config) throws ServletException {
        if (core == null) {
            ServletContext context = config.getServletContext();
            CertgateRuntime runtime =
                    RuntimeLocator.acquire(context, config.getInitParameter(RuntimeLocator.HOME_PARAMETER));
            core = runtime.proxy();
            metrics = runtime.metricsEndpoint();
            ownedContext = context;
        }
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (!(request instanceof HttpServletRequest http && response instanceof HttpServletResponse httpResponse
                && (metrics != null && metrics.answer(http, httpResponse) || core.handleIfMatched(http, httpResponse)))) {
            chain.doFilter(request, response);
        }
    }

    @Override
    public void destroy() {
        if (ownedContext != null) {
            RuntimeLocator.release(ownedContext);
        }
    }
}
