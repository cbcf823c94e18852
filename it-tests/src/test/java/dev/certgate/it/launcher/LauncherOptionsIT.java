package dev.certgate.it.launcher;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code java -jar certgate.war} with options it cannot use: a message naming the problem, the usage, exit code 2. */
class LauncherOptionsIT {
    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String USAGE = "Usage: java -jar certgate.war [options]";

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            --bogus            | unknown option '--bogus'
            --port             | option --port needs a value
            --port abc         | --port must be a port number from 0 to 65535, not 'abc'
            --port=65536       | --port must be a port number from 0 to 65535, not '65536'
            --home --demo      | option --home needs a value
            --threads 8        | --threads must be a number of threads from 16 to 10000, not '8'
            --threads=many     | --threads must be a number of threads from 16 to 10000, not 'many'
            --demo=yes         | option --demo takes no value
            --request-head-timeout 0 | --request-head-timeout must be a number of seconds from 1 to 3600, not '0'
            --request-head-timeout=5s | --request-head-timeout must be a number of seconds from 1 to 3600, not '5s'
            --bind=gateway.invalid | --bind must be an IP address or a host name of this machine, not 'gateway.invalid'
            """)
    void badOptionPrintsTheProblemAndTheUsageAndExitsWith2(String arguments, String problem) throws Exception {
        Run run = run(Arrays.asList(arguments.split(" ")), Map.of());

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("certgate: " + problem).contains(USAGE);
        assertThat(directory.resolve("certgate-data")).as("nothing is created for a refused command line").doesNotExist();
    }

    @Test
    void badEnvironmentVariableIsNamedInTheMessage() throws Exception {
        Run run = run(List.of(), Map.of("CERTGATE_PORT", "eighty"));
        Run bind = run(List.of(), Map.of("CERTGATE_BIND", "not an address"));
        Run demo = run(List.of(), Map.of("CERTGATE_DEMO", "yes"));
        Run headTimeout = run(List.of(), Map.of("CERTGATE_REQUEST_HEAD_TIMEOUT", "3601"));

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.output()).contains("certgate: CERTGATE_PORT must be a port number from 0 to 65535, not 'eighty'")
                .contains(USAGE);
        assertThat(bind.exitCode()).isEqualTo(2);
        assertThat(bind.output()).contains("certgate: CERTGATE_BIND must be an IP address or a host name of this"
                + " machine, not 'not an address'").contains(USAGE);
        assertThat(demo.exitCode()).isEqualTo(2);
        assertThat(demo.output()).contains("certgate: CERTGATE_DEMO must be true or false, not 'yes'").contains(USAGE);
        assertThat(headTimeout.exitCode()).isEqualTo(2);
        assertThat(headTimeout.output()).contains("certgate: CERTGATE_REQUEST_HEAD_TIMEOUT must be a number of seconds"
                + " from 1 to 3600, not '3601'").contains(USAGE);
    }

    /** Issue 16: a limit that is not valid stops the start with its name, before the runtime touches the home. */
    @Test
    void aBadLimitSettingStopsTheStartNamingIt() throws Exception {
        Path home = directory.resolve("home");
        Run run = run(List.of("--port", "0", "--home", home.toString()),
                Map.of("CERTGATE_POOL_LEASE_TIMEOUT", "5s"));

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.output()).contains("certgate: could not start: ")
                .contains("certgate.pool.leaseTimeout: '5s' is not a number of seconds from 0.001 to 3600");
        assertThat(home.resolve("secrets/master.key")).as("no master key made for a refused setting").doesNotExist();
    }

    @Test
    void helpPrintsTheUsageAndExitsWith0() throws Exception {
        Run run = run(List.of("--help"), Map.of());

        assertThat(run.exitCode()).isZero();
        assertThat(run.output()).startsWith(USAGE).contains("--port", "--bind", "--home", "--threads",
                "--request-head-timeout", "--demo", "CERTGATE_HOME", "CERTGATE_THREADS",
                "CERTGATE_REQUEST_HEAD_TIMEOUT", "CERTGATE_ADMIN_PASSWORD", "CERTGATE_MASTER_KEY_FILE");
    }

    private record Run(int exitCode, String output) {
    }

    private Run run(List<String> arguments, Map<String, String> environment) throws Exception {
        List<String> command = new ArrayList<>(List.of(ItPaths.java(), "-jar", ItPaths.war().toString()));
        command.addAll(arguments);
        Path output = Files.createTempFile(directory, "console", ".txt");
        try (ConsoleProcess process = ConsoleProcess.start(command, directory, environment, output)) {
            return new Run(process.awaitExit(TIMEOUT), process.output());
        }
    }
}
