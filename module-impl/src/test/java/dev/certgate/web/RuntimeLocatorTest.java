package dev.certgate.web;

import jakarta.servlet.ServletContext;
import jakarta.servlet.UnavailableException;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class RuntimeLocatorTest {
    @Test
    void homeComesFromInitParamThenContextParamThenSystemPropertyThenEnvironmentThenTheFallback() {
        Map<String, String> env = Map.of("CERTGATE_HOME", "/env");
        assertThat(RuntimeLocator.home("/init", "/context", "/property", env, "fallback")).isEqualTo("/init");
        assertThat(RuntimeLocator.home(null, "/context", "/property", env, "fallback")).isEqualTo("/context");
        assertThat(RuntimeLocator.home(" ", null, "/property", env, "fallback")).isEqualTo("/property");
        assertThat(RuntimeLocator.home(null, null, null, env, "fallback")).isEqualTo("/env");
        assertThat(RuntimeLocator.home(null, null, null, Map.of(), "fallback")).isEqualTo("fallback");
        assertThat(RuntimeLocator.home(null, null, null, Map.of(), null)).isNull();
    }

    @Test
    void withoutAHomeTheServletIsUnavailableWithAMessageThatSaysWhatToSet() {
        assumeTrue(System.getenv(RuntimeLocator.HOME_ENVIRONMENT) == null
                && System.getProperty(RuntimeLocator.HOME_PARAMETER) == null);
        ServletContext context = new ServletContextHandler().getServletContext();
        assertThatThrownBy(() -> RuntimeLocator.acquire(context, null))
                .isInstanceOf(UnavailableException.class)
                .hasMessageContaining("certgate.home").hasMessageContaining("CERTGATE_HOME");
    }

    @Test
    void releaseLeavesARuntimeItDidNotCreateAlone() {
        ServletContext context = new ServletContextHandler().getServletContext();
        context.setAttribute(dev.certgate.CertgateRuntime.CONTEXT_ATTRIBUTE, "someone else's");
        RuntimeLocator.release(context);
        assertThat(context.getAttribute(dev.certgate.CertgateRuntime.CONTEXT_ATTRIBUTE)).isEqualTo("someone else's");
    }
}
