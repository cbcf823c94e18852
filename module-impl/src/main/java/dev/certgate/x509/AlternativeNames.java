package dev.certgate.x509;

import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The DNS names and IP addresses a certificate is for (its subject alternative names), as host name checks read them
 * and as answers and messages show them. Empty lists when it has none, or when they cannot be parsed.
 */
public record AlternativeNames(List<String> dnsNames, List<String> ipAddresses) {
    /** The GeneralName tags of RFC 5280 §4.2.1.6. */
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;

    public static AlternativeNames of(X509Certificate certificate) {
        List<String> dns = new ArrayList<>();
        List<String> ip = new ArrayList<>();
        try {
            Collection<List<?>> names = certificate.getSubjectAlternativeNames();
            if (names != null) {
                for (List<?> name : names) {
                    Object type = name.get(0);
                    if (Integer.valueOf(DNS_NAME).equals(type)) {
                        dns.add(String.valueOf(name.get(1)));
                    } else if (Integer.valueOf(IP_ADDRESS).equals(type)) {
                        ip.add(String.valueOf(name.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // shown without names: the subject and thumbprints still identify it
        }
        return new AlternativeNames(List.copyOf(dns), List.copyOf(ip));
    }
}
