package dev.certgate.war;

import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;

/**
 * Starts the web application's {@link dev.certgate.CertgateRuntime} with the application and closes it with the
 * application, through {@link RuntimeLocator} like every other user of it. The home is the first of: context
 * init-param {@code certgate.home}, system property {@code certgate.home}, environment variable
 * {@code CERTGATE_HOME}, {@value #DEFAULT_HOME} (CONTRACT §1).
 */
public final class CertgateContextListener implements ServletContextListener {
    static final String DEFAULT_HOME = "certgate-data";

    @Override
    public void contextInitialized(ServletContextEvent event) {
        try {
            RuntimeLocator.acquire(event.getServletContext(), null, DEFAULT_HOME);
        } catch (ServletException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public void contextDestroyed(ServletContextEvent event) {
        RuntimeLocator.release(event.getServletContext());
    }
}
