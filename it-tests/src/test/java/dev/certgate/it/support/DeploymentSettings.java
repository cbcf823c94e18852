package dev.certgate.it.support;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Makes each deployment behave as in a real container: the WAR's own classes first (the adapter's default
 * is parent first, which would run the test class path's copies of Jersey and Certgate instead of the
 * WAR's), and a failed start fails the deployment with its cause (Jetty would keep it, answering 503).
 */
public final class DeploymentSettings implements WebAppContextProcessor {
    @Override
    public void process(WebAppContext context, Archive<?> archive) {
        context.setParentLoaderPriority(false);
        context.setThrowUnavailableOnStartupException(true);
    }
}
