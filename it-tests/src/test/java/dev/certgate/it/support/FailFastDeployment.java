package dev.certgate.it.support;

import org.eclipse.jetty.ee10.webapp.WebAppContext;
import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.shrinkwrap.api.Archive;

/**
 * Jetty normally keeps a web application whose listener failed deployed (answering 503); the ITs want the
 * deployment itself to fail with the cause, so a start-up error is reported where it happens.
 */
public final class FailFastDeployment implements WebAppContextProcessor {
    @Override
    public void process(WebAppContext context, Archive<?> archive) {
        context.setThrowUnavailableOnStartupException(true);
    }
}
