package dev.certgate.war;

import dev.certgate.CertgateRuntime;
import dev.certgate.web.RuntimeLocator;

import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;

import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertgateContextListenerTest {
    @Test
    void theListenerStartsTheRuntimeOnTheContextsHomeSharesItAndClosesItWithTheApplication(@TempDir Path home)
            throws Exception {
        ServletContextHandler handler = new ServletContextHandler();
        handler.setInitParameter("certgate.home", home.toString());
        ServletContext context = handler.getServletContext();
        CertgateContextListener listener = new CertgateContextListener();

        listener.contextInitialized(new ServletContextEvent(context));
        CertgateRuntime runtime = RuntimeLocator.from(context);
        assertThat(Files.isDirectory(home.resolve("config"))).isTrue();

        // A Certgate servlet of the same application shares it, and leaving does not close it.
        assertThat(RuntimeLocator.acquire(context, null)).isSameAs(runtime);
        RuntimeLocator.release(context);
        assertThat(RuntimeLocator.from(context)).isSameAs(runtime);

        listener.contextDestroyed(new ServletContextEvent(context));
        assertThatThrownBy(() -> RuntimeLocator.from(context)).isInstanceOf(IllegalStateException.class);
    }
}
