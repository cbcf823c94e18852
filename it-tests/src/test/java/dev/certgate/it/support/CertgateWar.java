package dev.certgate.it.support;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The real {@code module-war/target/certgate.war}, as built by Maven, for Arquillian to deploy, each test
 * class on a fresh home: the listener reads the system property {@code certgate.home} when the deployment
 * starts, which is right after the {@code @Deployment} method returns.
 */
public final class CertgateWar {
    /** Deployed under this name, the web application is the root context "/" (useArchiveNameAsContext). */
    public static final String ROOT = "ROOT.war";

    private CertgateWar() {
    }

    /** A fresh, empty home for {@code testClass}, made the home of the next deployment. */
    public static Path freshHome(Class<?> testClass) {
        try {
            Path homes = Files.createDirectories(moduleDir().resolve("target/it-homes"));
            Path home = Files.createTempDirectory(homes, testClass.getSimpleName() + "-");
            useHome(home);
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes {@code home} the home of the next deployment. */
    public static void useHome(Path home) {
        System.setProperty("certgate.home", home.toString());
    }

    /** The built WAR under {@code name} ({@value #ROOT} for the root context, {@code x.war} for "/x"). */
    public static WebArchive named(String name) {
        Path war = moduleDir().resolve("../module-war/target/certgate.war").normalize();
        if (!Files.isRegularFile(war)) {
            throw new IllegalStateException(war + " is missing: build with `mvn -pl it-tests -am verify`");
        }
        return ShrinkWrap.create(ZipImporter.class, name).importFrom(war.toFile()).as(WebArchive.class);
    }

    /** A fresh home for {@code testClass} and the WAR as the root web application. */
    public static WebArchive rootOnFreshHome(Class<?> testClass) {
        freshHome(testClass);
        return named(ROOT);
    }

    private static Path moduleDir() {
        return Path.of(System.getProperty("basedir", ".")).toAbsolutePath();
    }
}
