package dev.certgate.certs;

import dev.certgate.config.Preconditions;
import dev.certgate.x509.AuthorityCertificates;

import dev.certgate.x509.Thumbprints;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.testsupport.TestKeyFiles;
import dev.certgate.testsupport.TestPki;
import dev.certgate.testsupport.TestPki.Issued;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static dev.certgate.config.NoPreconditions.NONE;
import static dev.certgate.testsupport.TestKeyFiles.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class AuthorityStoreTest {
    private static final Issued CA = TestPki.ca("CN=Trusted CA");
    private static final Issued OTHER = TestPki.ca("CN=Other Trusted CA");

    @TempDir
    Path home;
    private HomeLayout layout;
    private ConfigService config;
    private AuthorityStore store;

    @BeforeEach
    void start() {
        layout = new HomeLayout(home);
        config = new ConfigService(layout);
        config.start();
        store = new AuthorityStore(config);
    }

    @AfterEach
    void stop() {
        config.close();
    }

    @Test
    void pemIsStoredAndDescribed() throws Exception {
        AuthorityStore.Stored stored = store.put("ca1", ascii(TestPki.pem(CA.certificate())), NONE);

        assertThat(stored.created()).isTrue();
        assertThat(stored.properties().subject()).isEqualTo("CN=Trusted CA");
        assertThat(stored.properties().thumbprint()).isEqualTo(Thumbprints.sha1(CA.certificate()));
        assertThat(stored.properties().expirationDate()).isEqualTo(CA.certificate().getNotAfter().toInstant());
        assertThat(stored.properties().notBefore()).isEqualTo(CA.certificate().getNotBefore().toInstant());
        assertThat(Files.readString(layout.authorityPem("ca1"))).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(store.get("ca1")).contains(stored.properties());
        assertThat(store.etag("ca1")).isNotNull();
    }

    @Test
    void aCaHasNothingToWarnOfAndACertificateThatIsNotOneIsStoredAsAPinWithAWarning() throws Exception {
        assertThat(store.put("ca1", ascii(TestPki.pem(CA.certificate())), NONE).warning()).isNull();
        Issued leaf = TestPki.selfSigned(TestPki.spec().subject("CN=pinned.example").ec());

        AuthorityStore.Stored pinned = store.put("pin", ascii(TestPki.pem(leaf.certificate())), NONE);

        assertThat(pinned.created()).isTrue();
        assertThat(pinned.warning()).contains("'CN=pinned.example' is not a CA certificate").contains("renewed");
        assertThat(store.get("pin")).isPresent();
    }

    @Test
    void derIsStoredAsPemAndReplacesUnderTheSameId() throws Exception {
        store.put("ca1", ascii(TestPki.pem(CA.certificate())), NONE);

        AuthorityStore.Stored replaced = store.put("ca1", OTHER.certificate().getEncoded(),
                new Preconditions(store.etag("ca1"), null));

        assertThat(replaced.created()).isFalse();
        assertThat(AuthorityCertificates.parse(Files.readAllBytes(layout.authorityPem("ca1")))).isEqualTo(OTHER.certificate());
        assertThat(Files.readString(layout.authorityPem("ca1"))).startsWith("-----BEGIN CERTIFICATE-----");
    }

    @Test
    void aFileWithAPrivateKeyIsRefusedAndNothingIsWritten() {
        CertgateException refusal = catchThrowableOfType(CertgateException.class, () -> store.put("ca1",
                ascii(TestPki.pem(CA.certificate()), TestKeyFiles.pkcs8(CA.privateKey())), NONE));

        assertThat(refusal.errorCode()).isEqualTo(ErrorCode.VALIDATION_ERROR);
        assertThat(refusal.getMessage()).contains("private key").doesNotContain("PRIVATE KEY");
        assertThat(layout.authorityDir("ca1")).doesNotExist();
    }

    @Test
    void deleteRemovesTheFolderAndAMissingAuthorityIs404() {
        store.put("ca1", ascii(TestPki.pem(CA.certificate())), NONE);

        store.delete("ca1", NONE);

        assertThat(layout.authorityDir("ca1")).doesNotExist();
        assertThat(store.get("ca1")).isEmpty();
        assertThat(catchThrowableOfType(CertgateException.class, () -> store.delete("ca1", NONE)).errorCode())
                .isEqualTo(ErrorCode.ENTITY_NOT_FOUND);
    }
}
