package dev.certgate.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.asset.StringAsset;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The real {@code module-war/target/certgate.war}, as built by Maven, for Arquillian to deploy, each test
 * class on a fresh home: the listener reads the system property {@code certgate.home} when the deployment
 * starts, which is right after the {@code @Deployment} method returns.
 */
public final class CertgateWar {
    private CertgateWar() {
    }

    /** A fresh, empty home for {@code testClass}, made the home of the next deployment. */
    public static Path freshHome(Class<?> testClass) {
        try {
            Path homes = Files.createDirectories(moduleDir().resolve("target/it-homes"));
            Path home = Files.createTempDirectory(homes, testClass.getSimpleName() + "-");
            System.setProperty("certgate.home", home.toString());
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The built WAR under {@code name}: {@code x.war} is served at the context path "/x". */
    public static WebArchive named(String name) {
        Path war = moduleDir().resolve("../module-war/target/certgate.war").normalize();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " is missing: build with `mvn -pl it-tests -am verify`");
        }
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(war.toFile()).as(WebArchive.class);
    }

    /**
     * The WAR for {@code testClass}, at the context path {@code /<testclass>}. Every deployment needs its own
     * name: the Jetty 12 adapter cannot deploy a name again once it was undeployed ("Destroyed container
     * cannot be restarted").
     */
    public static WebArchive forClass(Class<?> testClass) {
        return named(testClass.getSimpleName().toLowerCase(Locale.ROOT) + ".war");
    }

    /**
     * The WAR for {@code testClass} with these context parameters declared in its web.xml, as an operator
     * deploying it would set the gateway's settings.
     */
    public static WebArchive forClass(Class<?> testClass, Map<String, String> contextParameters) {
        WebArchive war = forClass(testClass);
        String webXml;
        try (InputStream in = war.get("WEB-INF/web.xml").getAsset().openStream()) {
            webXml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        int listener = webXml.indexOf("<listener>");
        if (listener < 0) {
            throw new IllegalStateException("the WAR's web.xml declares no <listener> to put the parameters before");
        }
        StringBuilder parameters = new StringBuilder();
        contextParameters.forEach((name, value) -> parameters.append("<context-param><param-name>").append(name)
                .append("</param-name><param-value>").append(value).append("</param-value></context-param>\n"));
        war.delete("WEB-INF/web.xml");
        return war.setWebXML(new StringAsset(webXml.substring(0, listener) + parameters + webXml.substring(listener)));
    }

    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }
}
