package dev.certgate.outbound;

import dev.certgate.certs.KeyMaterial;

import org.conscrypt.Conscrypt;

import javax.net.ssl.SSLContext;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.Locale;

/**
 * The JSSE provider that makes the TLS connections to back ends, chosen once at start by {@value #SETTING}:
 * <ul>
 * <li>{@code auto}, the default: Conscrypt (Google's provider over BoringSSL) where its native library loads (Linux and
 *     macOS on x86_64 and aarch64, Windows on x86_64), else the JDK's, with the reason given;</li>
 * <li>{@code conscrypt}: Conscrypt, or the start fails saying why it cannot load;</li>
 * <li>{@code jdk}: the JDK's own (SunJSSE), for example where policy allows only the JDK's providers.</li>
 * </ul>
 * Why not the JDK's by default: a caller who leaves drops its back-end connection, so a crowd of callers that leaves
 * and comes back costs a crowd of new handshakes at once. BoringSSL's handshakes take a fraction of the CPU, and its
 * client keeps every session ticket a back end sends, where the JDK's keeps one per host and port, so more of the
 * crowd resumes (TLS 1.3 tickets are used once). Which provider is used changes nothing else: the key, trust
 * managers, SNI and host-name check are Certgate's own. The provider is passed to each context, never installed in
 * the JVM, so other applications in the same server are not affected.
 */
public final class BackendTlsProvider {
    public static final String SETTING = "certgate.tls.provider";
    public static final String SETTING_ENVIRONMENT = "CERTGATE_TLS_PROVIDER";
    public static final BackendTlsProvider JDK = new BackendTlsProvider(null, "the JDK's (SunJSSE)", null);

    private final Provider provider;
    private final String description;
    private final String fallbackReason;

    private BackendTlsProvider(Provider provider, String description, String fallbackReason) {
        this.provider = provider;
        this.description = description;
        this.fallbackReason = fallbackReason;
    }

    /**
     * @param value the setting as given, null or blank for {@code auto}
     * @throws IllegalArgumentException naming the setting, for a value it does not take or a Conscrypt that cannot load
     */
    public static BackendTlsProvider choose(String value) {
        return choose(value, ConscryptHolder.UNAVAILABLE);
    }

    /** @param conscryptUnavailable why Conscrypt cannot load here, null when it can */
    static BackendTlsProvider choose(String value, String conscryptUnavailable) {
        String given = value == null || value.isBlank() ? "auto" : value.trim().toLowerCase(Locale.ROOT);
        switch (given) {
            case "jdk":
                return JDK;
            case "conscrypt":
            case "auto":
                if (conscryptUnavailable == null) {
                    return new BackendTlsProvider(ConscryptHolder.PROVIDER, ConscryptHolder.DESCRIPTION, null);
                }
                if (given.equals("auto")) {
                    return new BackendTlsProvider(null, JDK.description, conscryptUnavailable);
                }
                throw new IllegalArgumentException(SETTING + " is \"conscrypt\", but " + conscryptUnavailable
                        + ": use auto or jdk");
            default:
                throw new IllegalArgumentException(SETTING + " is \"" + value.trim() + "\": use auto, conscrypt or jdk");
        }
    }

    /** A new, uninitialised TLS context of this provider. */
    SSLContext newContext() throws NoSuchAlgorithmException {
        return provider == null ? SSLContext.getInstance("TLS") : SSLContext.getInstance("TLS", provider);
    }

    /**
     * The provider for connections that present {@code key} (null: none): this one, but the JDK's for an EdDSA key
     * (Ed25519, Ed448), which Conscrypt cannot sign with: it would silently present no certificate at all.
     */
    BackendTlsProvider forKey(KeyMaterial key) {
        if (provider == null || key == null) {
            return this;
        }
        String algorithm = key.privateKey().getAlgorithm();
        return algorithm.equals("EdDSA") || algorithm.equals("Ed25519") || algorithm.equals("Ed448") ? JDK : this;
    }

    /** Which provider and library, for the start's log line. */
    public String description() {
        return description;
    }

    /** Why {@code auto} fell back to the JDK's provider; null when it did not. */
    public String fallbackReason() {
        return fallbackReason;
    }

    /** Loads Conscrypt's native library at most once per class loader, on first use. */
    private static final class ConscryptHolder {
        static final String UNAVAILABLE;
        static final Provider PROVIDER;
        static final String DESCRIPTION;

        static {
            String unavailable = null;
            Provider provider = null;
            String description = null;
            try {
                Conscrypt.checkAvailability();
                provider = Conscrypt.newProvider();
                Conscrypt.Version version = Conscrypt.version();
                description = "Conscrypt " + version.major() + "." + version.minor() + "." + version.patch()
                        + " (BoringSSL)";
            } catch (LinkageError e) {
                unavailable = "Conscrypt's native library does not load on " + System.getProperty("os.name") + " "
                        + System.getProperty("os.arch") + " (" + rootMessage(e) + ")";
            }
            UNAVAILABLE = unavailable;
            PROVIDER = provider;
            DESCRIPTION = description;
        }

        private static String rootMessage(Throwable e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        }
    }
}
