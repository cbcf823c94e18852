package dev.certgate.it.support;

import org.jboss.arquillian.container.jetty.embedded_12_ee10.WebAppContextProcessor;
import org.jboss.arquillian.core.spi.LoadableExtension;

/** Prepares the embedded Jetty for the ITs: a generated login realm, server-log capture, deployments that behave as in a real container. */
public final class CertgateItExtension implements LoadableExtension {
    @Override
    public void register(ExtensionBuilder builder) {
        builder.observer(TestEnvironment.class);
        builder.service(WebAppContextProcessor.class, DeploymentSettings.class);
    }
}
