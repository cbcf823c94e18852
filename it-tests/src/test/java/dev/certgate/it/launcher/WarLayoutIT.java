package dev.certgate.it.launcher;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one WAR serves both uses: the launcher's JDK-only bootstrap at the root (Main-Class), Jetty and the
 * launcher's server side in WEB-INF/launcher, and nothing of Jetty or the Servlet API in WEB-INF/lib, where
 * it would clash with an app server's own.
 */
class WarLayoutIT {
    @Test
    void launcherAtTheRootJettyBesideTheApplicationNeverInsideIt() throws Exception {
        try (JarFile war = new JarFile(ItPaths.war().toFile())) {
            List<String> names = war.stream().map(ZipEntry::getName).toList();

            assertThat(war.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.certgate.launcher.Main");
            assertThat(names).contains("dev/certgate/launcher/Main.class",
                    "WEB-INF/launcher/classes/dev/certgate/launcher/server/Standalone.class");
            assertThat(names).as("only the bootstrap sits at the root; the rest needs Jetty's class loader")
                    .noneMatch(name -> name.startsWith("dev/certgate/launcher/server/"));
            assertThat(names).anyMatch(name -> name.matches("WEB-INF/launcher/lib/jetty-server-[^/]+\\.jar"))
                    .anyMatch(name -> name.matches("WEB-INF/launcher/lib/jakarta\\.servlet-api-[^/]+\\.jar"));
            assertThat(names.stream().filter(name -> name.startsWith("WEB-INF/lib/")))
                    .isNotEmpty()
                    .noneMatch(name -> name.matches("WEB-INF/lib/(jetty-|jakarta\\.servlet-api)[^/]*\\.jar"));
        }
    }
}
