package dev.certgate.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Edits a home's files the way a person (or Git) does, behind the server's back; each write is one rename. */
public final class HomeFiles {
    private HomeFiles() {
    }

    public static void write(Path home, String relative, String content) {
        Path file = home.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            Path temporary = Files.createTempFile(file.getParent(), ".it-", ".tmp");
            Files.writeString(temporary, content, StandardCharsets.UTF_8);
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Deletes a file behind the server's back, as a person does; a folder left empty is ignored by the loader. */
    public static void delete(Path home, String relative) {
        try {
            Files.deleteIfExists(home.resolve(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A policy document with the given inbound statements after {@code <base />}, every other section inherited. */
    public static String inboundPolicy(String statements) {
        return "<policies>\n  <inbound>\n    <base />\n    " + statements + "\n  </inbound>\n"
                + "  <backend>\n    <base />\n  </backend>\n  <outbound>\n    <base />\n  </outbound>\n"
                + "  <on-error>\n    <base />\n  </on-error>\n</policies>\n";
    }

    /** {@code apiInformation.json} of an API served under {@code path}, forwarding to {@code serviceUrl}. */
    public static String apiInformation(String displayName, String path, String serviceUrl) {
        return "{\"properties\": {\"displayName\": \"" + displayName + "\", \"path\": \"" + path
                + "\", \"serviceUrl\": \"" + serviceUrl + "\", \"protocols\": [\"https\"]}}";
    }
}
