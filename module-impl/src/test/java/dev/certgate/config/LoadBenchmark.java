package dev.certgate.config;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Not a test: {@code main} generates a home with 1,000 APIs (each with a policy and an operation), then
 * prints the median time of a full load, of a reload after one policy file changed, of an admin
 * {@code apply} of one API, and of the watcher noticing an edit on disk.
 * Run: {@code java -cp <test classpath> dev.certgate.config.LoadBenchmark [apis] [runs]}.
 */
public final class LoadBenchmark {
    /** CPU time as well as wall time: on a shared machine the wall time mostly measures the neighbours. */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ConfigService.Settings MANUAL =
            new ConfigService.Settings(false, Duration.ofHours(1), Duration.ofMillis(200));

    private LoadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int apis = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path dir = Files.createTempDirectory("certgate-bench");
        try {
            TestHome home = generate(dir, apis);
            System.out.printf("home: %d APIs, %d operations, %d files%n", apis, apis, countFiles(dir));

            ConfigLoader loader = new ConfigLoader(home.layout);
            List<Long> loads = new ArrayList<>();
            List<Long> loadsCpu = new ArrayList<>();
            for (int i = 0; i < runs + 2; i++) {
                long started = System.nanoTime();
                long startedCpu = THREADS.getCurrentThreadCpuTime();
                LoadResult result = loader.load();
                long elapsed = System.nanoTime() - started;
                long elapsedCpu = THREADS.getCurrentThreadCpuTime() - startedCpu;
                if (!result.valid()) {
                    throw new IllegalStateException("generated home is invalid: " + result.errors().get(0).describe());
                }
                if (i >= 2) {
                    loads.add(elapsed);
                    loadsCpu.add(elapsedCpu);
                }
            }
            System.out.printf("full load (median of %d after 2 warm-ups): %d ms wall, %d ms CPU%n", runs, median(loads),
                    median(loadsCpu));

            try (ConfigService service = new ConfigService(home.layout, MANUAL)) {
                service.start();
                List<Long> reloads = new ArrayList<>();
                List<Long> reloadsCpu = new ArrayList<>();
                List<Long> applies = new ArrayList<>();
                List<Long> appliesCpu = new ArrayList<>();
                for (int i = 0; i < runs; i++) {
                    home.apiPolicy("api-" + (i * 37 % apis), policy(i % 2 == 0 ? "changed" : "again"));
                    long started = System.nanoTime();
                    long startedCpu = THREADS.getCurrentThreadCpuTime();
                    service.loadIfChanged();
                    reloads.add(System.nanoTime() - started);
                    reloadsCpu.add(THREADS.getCurrentThreadCpuTime() - startedCpu);

                    Path file = home.layout.apiInformation("api-" + (i * 53 % apis));
                    byte[] json = TestHome.bytes(TestHome.envelope(Map.of("displayName", "run " + i,
                            "path", "api-" + (i * 53 % apis), "serviceUrl", "https://changed.test")));
                    started = System.nanoTime();
                    startedCpu = THREADS.getCurrentThreadCpuTime();
                    service.apply(ConfigChange.create().put(file, json).primary(file));
                    applies.add(System.nanoTime() - started);
                    appliesCpu.add(THREADS.getCurrentThreadCpuTime() - startedCpu);
                }
                System.out.printf("reload after one policy file changed, incl. %d ms for the files to settle (median of"
                        + " %d): %d ms wall, %d ms CPU%n", MANUAL.debounce().toMillis(), runs, median(reloads),
                        median(reloadsCpu));
                System.out.printf("apply of one API write: validate + write + publish (median of %d): %d ms wall, "
                        + "%d ms CPU%n", runs, median(applies), median(appliesCpu));
            }

            try (ConfigService watched = new ConfigService(home.layout)) {
                watched.start();
                List<Long> latencies = new ArrayList<>();
                for (int i = 0; i < Math.min(runs, 3); i++) {
                    long generation = watched.current().generation();
                    long started = System.nanoTime();
                    home.apiPolicy("api-" + i, policy("watched-" + i));
                    while (watched.current().generation() == generation) {
                        Thread.sleep(5);
                    }
                    latencies.add(System.nanoTime() - started);
                }
                System.out.printf("edit on disk to published by the watcher, incl. %d ms debounce (median of %d): %d ms%n",
                        ConfigService.Settings.DEFAULTS.debounce().toMillis(), latencies.size(), median(latencies));
            }
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(path);
                }
            }
        }
    }

    private static TestHome generate(Path dir, int apis) {
        TestHome home = new TestHome(dir)
                .certificate("client-1", "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344")
                .backend("backend-1", "https://backend.test", "/certificates/client-1")
                .globalPolicy("<policies><inbound><set-header name=\"X-Gateway\" exists-action=\"override\">"
                        + "<value>certgate</value></set-header></inbound><backend><forward-request timeout=\"60\" />"
                        + "</backend><outbound /><on-error /></policies>");
        for (int i = 0; i < apis; i++) {
            String id = "api-" + i;
            home.api(id, id, null).apiPolicy(id, policy(id)).operation(id, "get-item", "GET", "/items/{id}");
        }
        return home;
    }

    private static String policy(String marker) {
        return "<policies>\n  <inbound>\n    <base />\n"
                + "    <set-header name=\"X-Api\" exists-action=\"override\"><value>" + marker + "</value></set-header>\n"
                + "    <authentication-certificate certificate-id=\"client-1\" />\n"
                + "    <set-backend-service backend-id=\"backend-1\" />\n"
                + "  </inbound>\n  <backend><base /></backend>\n  <outbound><base /></outbound>\n"
                + "  <on-error><base /></on-error>\n</policies>\n";
    }

    private static long median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) / 1_000_000;
    }

    private static long countFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).count();
        }
    }
}
