package dev.certgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The setting {@value #PARAMETER} (environment {@value #ENVIRONMENT}): the addresses and CIDR ranges of the
 * proxies in front of the gateway whose {@code X-Forwarded-Host} and {@code X-Forwarded-Proto} it keeps.
 * Parsed once at start; empty by default, so the gateway trusts nobody's.
 */
public final class TrustedProxies {
    public static final String PARAMETER = "certgate.trustedProxies";
    public static final String ENVIRONMENT = "CERTGATE_TRUSTED_PROXIES";
    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    /** The first {@code bits} bits of {@code network}; 4 or 16 bytes. */
    private record Range(byte[] network, int bits) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int whole = bits / 8;
            for (int i = 0; i < whole; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            int mask = (0xff << (8 - rest)) & 0xff;
            return rest == 0 || (address[whole] & mask) == (network[whole] & mask);
        }
    }

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /**
     * Addresses and CIDR ranges separated by commas or spaces, such as {@code 10.0.0.0/8, 192.0.2.7, fd00::/8};
     * null or blank for none.
     *
     * @throws IllegalArgumentException naming the setting and the entry that is not an address or range
     */
    public static TrustedProxies parse(String setting) {
        if (setting == null || setting.isBlank()) {
            return NONE;
        }
        List<Range> ranges = new ArrayList<>();
        for (String entry : setting.trim().split("[,\\s]+")) {
            if (!entry.isEmpty()) {
                ranges.add(range(entry));
            }
        }
        return new TrustedProxies(List.copyOf(ranges));
    }

    boolean isEmpty() {
        return ranges.isEmpty();
    }

    /** True when {@code address} (an IP literal as the container reports the peer) lies in one of the ranges. */
    boolean trusts(String address) {
        byte[] bytes = literal(address);
        if (bytes == null) {
            return false;
        }
        for (Range range : ranges) {
            if (range.contains(bytes)) {
                return true;
            }
        }
        return false;
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String address = slash < 0 ? entry : entry.substring(0, slash);
        byte[] network = literal(address);
        if (network == null || address.indexOf('%') >= 0) {
            throw invalid(entry, "is not an IP address or CIDR range");
        }
        int max = network.length * 8;
        int bits = max;
        if (slash >= 0) {
            String length = entry.substring(slash + 1);
            if (!length.matches("\\d{1,3}") || (bits = Integer.parseInt(length)) > max) {
                throw invalid(entry, "has a prefix length outside 0-" + max);
            }
        }
        return new Range(network, bits);
    }

    private static IllegalArgumentException invalid(String entry, String problem) {
        return new IllegalArgumentException(PARAMETER + ": '" + entry + "' " + problem
                + "; give addresses or CIDR ranges such as 10.0.0.0/8, 192.0.2.7 or fd00::/8, separated by commas");
    }

    /** The bytes of an IPv4 or IPv6 literal (brackets allowed), or null: never a name lookup. */
    private static byte[] literal(String address) {
        String text = address.startsWith("[") && address.endsWith("]")
                ? address.substring(1, address.length() - 1) : address;
        if (text.indexOf(':') < 0) {
            return ipv4(text);
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '%') {
                break; // a zone id follows, which the JDK parses too
            }
            if (Character.digit(c, 16) < 0 && c != ':' && c != '.') {
                return null;
            }
        }
        try {
            return InetAddress.getByName(text).getAddress(); // a literal: parsed, not looked up
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Four dotted decimals 0-255, nothing else (the JDK would also take "10.1" and look names up). */
    private static byte[] ipv4(String text) {
        byte[] bytes = new byte[4];
        int part = 0;
        int value = -1;
        for (int i = 0; i <= text.length(); i++) {
            char c = i < text.length() ? text.charAt(i) : '.';
            if (c == '.') {
                if (value < 0 || part == 4) {
                    return null;
                }
                bytes[part++] = (byte) value;
                value = -1;
            } else if (c >= '0' && c <= '9') {
                value = value < 0 ? c - '0' : value * 10 + (c - '0');
                if (value > 255) {
                    return null;
                }
            } else {
                return null;
            }
        }
        return part == 4 ? bytes : null;
    }
}
