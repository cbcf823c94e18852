package dev.certgate.outbound;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** certgate.tls.provider: what each value gives, on this platform (where Conscrypt loads) and where it would not. */
class BackendTlsProviderTest {

    @Test
    void theDefaultIsConscryptWhereItsNativeLibraryLoads() throws Exception {
        for (String unset : new String[] {null, "", "  ", "auto", " AUTO "}) {
            BackendTlsProvider provider = BackendTlsProvider.choose(unset);

            assertThat(provider.newContext().getProvider().getName()).isEqualTo("Conscrypt");
            assertThat(provider.description()).matches("Conscrypt \\d+\\.\\d+\\.\\d+ \\(BoringSSL\\)");
            assertThat(provider.fallbackReason()).isNull();
        }
        assertThat(BackendTlsProvider.choose("conscrypt").newContext().getProvider().getName()).isEqualTo("Conscrypt");
    }

    @Test
    void jdkGivesTheJdksOwnProvider() throws Exception {
        BackendTlsProvider jdk = BackendTlsProvider.choose("JDK");

        assertThat(jdk.newContext().getProvider().getName()).isEqualTo("SunJSSE");
        assertThat(jdk.fallbackReason()).isNull();
    }

    @Test
    void whereConscryptCannotLoadAutoFallsBackSayingWhyAndConscryptStopsTheStart() throws Exception {
        String why = "Conscrypt's native library does not load on Plan 9 mips (no such file)";
        BackendTlsProvider fallback = BackendTlsProvider.choose("auto", why);

        assertThat(fallback.newContext().getProvider().getName()).isEqualTo("SunJSSE");
        assertThat(fallback.fallbackReason()).isEqualTo(why);
        assertThatThrownBy(() -> BackendTlsProvider.choose("conscrypt", why))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certgate.tls.provider is \"conscrypt\", but " + why + ": use auto or jdk");
    }

    @Test
    void anUnknownValueIsRefusedNamingTheSettingAndTheChoices() {
        assertThatThrownBy(() -> BackendTlsProvider.choose(" openssl "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("certgate.tls.provider is \"openssl\": use auto, conscrypt or jdk");
    }
}
