package dev.certgate.war;

import dev.certgate.CertgateRuntime;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.Map;

/**
 * Starts the web application's {@link CertgateRuntime} on its home and closes it with the application.
 * The home is the first of: context init-param {@value #HOME}, system property {@value #HOME}, environment
 * variable {@value #HOME_ENV}, {@code ./certgate-data} (CONTRACT §1).
 */
public final class CertgateContextListener implements ServletContextListener {
    public static final String HOME = "certgate.home";
    public static final String HOME_ENV = "CERTGATE_HOME";
    private static final String DEFAULT_HOME = "certgate-data";
    private static final Logger LOG = LoggerFactory.getLogger(CertgateContextListener.class);

    @Override
    public void contextInitialized(ServletContextEvent event) {
        ServletContext context = event.getServletContext();
        Path home = home(context.getInitParameter(HOME), System.getProperty(HOME), System.getenv());
        LOG.info("Starting Certgate on home {}", home);
        context.setAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE, CertgateRuntime.start(home, System.getenv(), context::getInitParameter));
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        Object runtime = event.getServletContext().getAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
        event.getServletContext().removeAttribute(CertgateRuntime.CONTEXT_ATTRIBUTE);
        if (runtime instanceof CertgateRuntime certgate) {
            certgate.close();
        }
    }

    static Path home(String initParameter, String systemProperty, Map<String, String> environment) {
        for (String candidate : new String[] {initParameter, systemProperty, environment.get(HOME_ENV)}) {
            if (candidate != null && !candidate.isBlank()) {
                return Path.of(candidate.trim()).toAbsolutePath().normalize();
            }
        }
        return Path.of(DEFAULT_HOME).toAbsolutePath().normalize();
    }
}
