package dev.certgate.outbound;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A TLS failure's message in words a user can act on. BoringSSL's (Conscrypt's) messages carry a native address, a
 * source path of the library's build and the reason as a constant ({@code TLSV1_ALERT_UNKNOWN_CA}); the reason is kept,
 * an alert the back end sent is named as the TLS specification names it ({@code unknown_ca}), and the rest is dropped.
 * The JDK's messages are already plain and pass unchanged.
 */
public final class TlsErrorText {
    private static final Pattern BORINGSSL_REASON = Pattern.compile("OPENSSL_internal:([A-Z0-9_]+)");
    private static final Pattern NATIVE_NOISE = Pattern.compile("ssl=0x[0-9a-fA-F]+: |\\s*\\(/[^)]*\\)");

    private TlsErrorText() {
    }

    public static String plain(String message) {
        if (message == null) {
            return null;
        }
        Matcher reason = BORINGSSL_REASON.matcher(message);
        if (reason.find()) {
            String constant = reason.group(1);
            int alert = constant.indexOf("ALERT_");
            if (alert >= 0) {
                return "the back end ended the handshake with the TLS alert "
                        + constant.substring(alert + "ALERT_".length()).toLowerCase(Locale.ROOT);
            }
            return "BoringSSL: " + constant.toLowerCase(Locale.ROOT).replace('_', ' ');
        }
        return NATIVE_NOISE.matcher(message).replaceAll("").strip();
    }
}
