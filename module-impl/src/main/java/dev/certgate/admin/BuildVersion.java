package dev.certgate.admin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The version this build reports: Maven's archiver writes {@code pom.properties} into the implementation jar
 * at build time, so the WAR (and {@code java -jar}) always know it; a build from an IDE says "development".
 */
final class BuildVersion {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.certgate/certgate-impl/pom.properties";
    private static final String VERSION = read();

    private BuildVersion() {
    }

    static String current() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = BuildVersion.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "development";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "development");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + POM_PROPERTIES, e);
        }
    }
}
