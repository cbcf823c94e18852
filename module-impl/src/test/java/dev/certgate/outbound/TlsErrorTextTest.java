package dev.certgate.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TlsErrorTextTest {
    @Test
    void boringSslsAlertIsNamedAsTheSpecificationNamesItWithoutAddressesOrBuildPaths() {
        String conscrypt = "Read error: ssl=0x7f909802bbc8: Failure in SSL library, usually a protocol error\n"
                + "error:10000418:SSL routines:OPENSSL_internal:TLSV1_ALERT_UNKNOWN_CA "
                + "(/__w/_temp/boringssl/ssl/tls_record.cc:491 0x7f90e8c2f6f8:0x00000001)";

        assertThat(TlsErrorText.plain(conscrypt))
                .isEqualTo("the back end ended the handshake with the TLS alert unknown_ca");
        assertThat(TlsErrorText.plain(conscrypt.replace("TLSV1_ALERT_UNKNOWN_CA", "SSLV3_ALERT_CERTIFICATE_EXPIRED")))
                .endsWith("the TLS alert certificate_expired");
    }

    @Test
    void anotherBoringSslReasonIsKeptInWords() {
        String conscrypt = "Unable to parse TLS packet header: ssl=0x7f00: Failure in SSL library\n"
                + "error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER (/__w/_temp/boringssl/ssl/tls_record.cc:242 0x1:0x0)";

        assertThat(TlsErrorText.plain(conscrypt)).isEqualTo("BoringSSL: wrong version number");
    }

    @Test
    void theJdksMessagesPassUnchangedAndNativeNoiseIsDroppedElsewhere() {
        assertThat(TlsErrorText.plain("Received fatal alert: unknown_ca")).isEqualTo("Received fatal alert: unknown_ca");
        assertThat(TlsErrorText.plain("Handshake failed: ssl=0x7fab12: closed (/__w/x.cc:1 0x1)"))
                .isEqualTo("Handshake failed: closed");
        assertThat(TlsErrorText.plain(null)).isNull();
    }
}
