package dev.certgate.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Run in a separate JVM by {@link KillDuringWritesTest}, which kills it at a random moment: writes a home without
 * end, each write a multi-file change. It replaces certificates the way {@code CertificateStore.put} does (key
 * store, then metadata), from files the test prepared with the real store ({@code <id>-<version>.p12} and
 * {@code .json}, versions 0 and 1), so no time goes to cryptography and most kills land inside a write; and it
 * replaces the whole API tree. Arguments: the home, and the folder with those files where {@code running} is
 * created once the first writes are done.
 */
public final class HomeWriterProcess {
    static final int CERTIFICATES = 3;

    private HomeWriterProcess() {
    }

    public static void main(String[] args) throws Exception {
        HomeLayout layout = new HomeLayout(Path.of(args[0]));
        Path files = Path.of(args[1]);
        ConfigService config = new ConfigService(layout,
                new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(50)));
        config.start();
        for (int i = 0; ; i++) {
            String id = "c" + i % CERTIFICATES;
            String upload = id + "-" + i / CERTIFICATES % 2;
            config.apply(ConfigChange.create()
                    .put(layout.certificateKeyStore(id), Files.readAllBytes(files.resolve(upload + ".p12")))
                    .put(layout.certificateInformation(id), Files.readAllBytes(files.resolve(upload + ".json"))));
            String apiId = "api-" + i;
            config.apply(ConfigChange.create()
                    .deleteTree(layout.apisDir())
                    .put(layout.apiInformation(apiId), TestHome.bytes(TestHome.envelope(Map.of(
                            "displayName", apiId, "path", "orders", "serviceUrl", "https://orders.test"))))
                    .put(layout.apiPolicy(apiId), TestHome.bytes("<policies><inbound><base />"
                            + "<authentication-certificate certificate-id=\"c0\" /></inbound></policies>")));
            if (i == 0) {
                Files.createFile(files.resolve("running"));
            }
        }
    }
}
