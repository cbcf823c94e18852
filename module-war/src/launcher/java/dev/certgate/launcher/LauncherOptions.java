package dev.certgate.launcher;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * The standalone launcher's settings (CONTRACT §1): each option may also come from an environment
 * variable; the command line wins over the environment, the environment over the default.
 */
public record LauncherOptions(int port, String bind, Path home, int threads, int requestHeadTimeoutSeconds,
                              boolean demo, boolean help) {
    public static final int DEFAULT_PORT = 8080;
    /**
     * Enough for the non-blocking forwarding path, where a request holds a thread only while bytes move, and
     * small enough that a burst of thousands of callers does not grow the pool towards Jetty's 200.
     */
    public static final int DEFAULT_THREADS = 64;
    /** Below this Jetty's acceptors, selectors and reserved threads could leave nothing to run requests. */
    public static final int MIN_THREADS = 16;
    public static final int MAX_THREADS = 10_000;
    /**
     * Seconds a request head (request line and header fields) may take to arrive, as Apache's mod_reqtimeout
     * allows by default: a real caller sends it in one go, a slowloris a byte at a time.
     */
    public static final int DEFAULT_REQUEST_HEAD_TIMEOUT = 20;
    public static final int MAX_REQUEST_HEAD_TIMEOUT = 3600;
    public static final String DEFAULT_BIND = "127.0.0.1";
    public static final String DEFAULT_HOME = "./certgate-data";

    public static final String USAGE = """
            Usage: java -jar certgate.war [options]

            Runs Certgate in an embedded Jetty 12. Each option can also be set by the environment variable shown.
              --port <port>   HTTP port, 0 for any free one          CERTGATE_PORT  (default 8080)
              --bind <addr>   address to listen on                   CERTGATE_BIND  (default 127.0.0.1)
              --home <dir>    home directory: config/ and secrets/   CERTGATE_HOME  (default ./certgate-data)
              --threads <n>   most threads of the container, 16-10000 CERTGATE_THREADS (default 64)
              --request-head-timeout <s>  seconds, 1-3600, a request's line and header fields may take to
                              arrive before the connection is closed  CERTGATE_REQUEST_HEAD_TIMEOUT (default 20)
              --demo          also start a demo back end that requires a client certificate, configure
                              an API "demo" that presents one, and print the curl commands to try it
                                                                     CERTGATE_DEMO  (true or false)
              --help          print this help and exit
            The admin API (/admin) takes user "admin" with the password from CERTGATE_ADMIN_PASSWORD or,
            if that is not set, from <home>/secrets/admin.password (generated on first start).
            Stored keys are sealed under the master key in the file CERTGATE_MASTER_KEY_FILE names or, if that
            is not set, <home>/secrets/master.key (generated on first start): 32 bytes, owner-only.
            """;

    /** Reads {@code args} over {@code environment}; a bad value or unknown option is a {@link UsageException}. */
    public static LauncherOptions parse(String[] args, Map<String, String> environment) throws UsageException {
        String port = environment.get("CERTGATE_PORT");
        String portSource = "CERTGATE_PORT";
        String bind = environment.get("CERTGATE_BIND");
        String bindSource = "CERTGATE_BIND";
        String home = environment.get("CERTGATE_HOME");
        String homeSource = "CERTGATE_HOME";
        String threads = environment.get("CERTGATE_THREADS");
        String threadsSource = "CERTGATE_THREADS";
        String headTimeout = environment.get("CERTGATE_REQUEST_HEAD_TIMEOUT");
        String headTimeoutSource = "CERTGATE_REQUEST_HEAD_TIMEOUT";
        boolean demo = parseFlag(environment.get("CERTGATE_DEMO"), "CERTGATE_DEMO");
        boolean help = false;

        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            switch (name) {
                case "--demo" -> demo = flag(name, value);
                case "--help", "-h" -> help = flag(name, value);
                case "--port", "--bind", "--home", "--threads", "--request-head-timeout" -> {
                    if (value == null) {
                        if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                            throw new UsageException("option " + name + " needs a value");
                        }
                        value = args[++i];
                    }
                    switch (name) {
                        case "--port" -> { port = value; portSource = name; }
                        case "--bind" -> { bind = value; bindSource = name; }
                        case "--threads" -> { threads = value; threadsSource = name; }
                        case "--request-head-timeout" -> { headTimeout = value; headTimeoutSource = name; }
                        default -> { home = value; homeSource = name; }
                    }
                }
                default -> throw new UsageException("unknown option " + quote(name));
            }
        }
        return new LauncherOptions(
                port == null ? DEFAULT_PORT : parsePort(port, portSource),
                bind == null ? DEFAULT_BIND : parseBind(requireText(bind, bindSource), bindSource),
                parseHome(home == null ? DEFAULT_HOME : requireText(home, homeSource), homeSource),
                threads == null ? DEFAULT_THREADS : parseThreads(threads, threadsSource),
                headTimeout == null ? DEFAULT_REQUEST_HEAD_TIMEOUT : parseHeadTimeout(headTimeout, headTimeoutSource),
                demo, help);
    }

    /** An option's environment variable: {@code true} or {@code false} in any case; unset or empty is false. */
    private static boolean parseFlag(String value, String source) throws UsageException {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new UsageException(source + " must be true or false, not " + quote(value));
        };
    }

    private static boolean flag(String name, String value) throws UsageException {
        if (value != null) {
            throw new UsageException("option " + name + " takes no value");
        }
        return true;
    }

    private static int parsePort(String value, String source) throws UsageException {
        return number(value, source, "a port number", 0, 65535);
    }

    /** An IP address, or a host name that resolves: what the listener can be bound to. */
    private static String parseBind(String value, String source) throws UsageException {
        try {
            InetAddress.getByName(value.trim());
            return value.trim();
        } catch (UnknownHostException e) {
            throw new UsageException(source + " must be an IP address or a host name of this machine, not "
                    + quote(value));
        }
    }

    private static int parseThreads(String value, String source) throws UsageException {
        return number(value, source, "a number of threads", MIN_THREADS, MAX_THREADS);
    }

    private static int parseHeadTimeout(String value, String source) throws UsageException {
        return number(value, source, "a number of seconds", 1, MAX_REQUEST_HEAD_TIMEOUT);
    }

    /** A whole number from {@code min} to {@code max}; the refusal names its source and what it must be. */
    private static int number(String value, String source, String what, int min, int max) throws UsageException {
        try {
            int number = Integer.parseInt(value.trim());
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // reported below, with the source of the value
        }
        throw new UsageException(source + " must be " + what + " from " + min + " to " + max + ", not "
                + quote(value));
    }

    private static String requireText(String value, String source) throws UsageException {
        if (value.isBlank()) {
            throw new UsageException(source + " must not be empty");
        }
        return value.trim();
    }

    private static Path parseHome(String value, String source) throws UsageException {
        try {
            return Path.of(value).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UsageException(source + " is not a usable directory name: " + quote(value));
        }
    }

    private static String quote(String value) {
        return "'" + value + "'";
    }
}
