package dev.certgate.it.support;

import org.jboss.arquillian.core.api.annotation.Observes;
import org.jboss.arquillian.test.spi.event.suite.BeforeSuite;

/**
 * Runs before Arquillian sets up and starts the container (a higher precedence than its own BeforeSuite
 * observer): writes the realm file that arquillian.xml names and starts capturing the server's log.
 */
public final class TestEnvironment {
    public void beforeContainerStarts(@Observes(precedence = 100) BeforeSuite event) {
        ServerLog.capture();
        TestRealm.write();
    }
}
