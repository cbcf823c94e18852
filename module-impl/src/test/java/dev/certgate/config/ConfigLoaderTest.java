package dev.certgate.config;

import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.testsupport.TestPki;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigLoaderTest {
    private static final String THUMBPRINT_1 = "A1B2C3D4E5F60718293A4B5C6D7E8F9011223344";
    private static final String THUMBPRINT_2 = "00112233445566778899AABBCCDDEEFF00112233";

    @TempDir
    Path dir;
    private TestHome home;
    private ConfigLoader loader;

    @BeforeEach
    void setUp() {
        home = new TestHome(dir);
        loader = new ConfigLoader(home.layout);
    }

    @Test
    void loadsAValidTreeWithComposedPolicies() {
        TestPki.Issued ca = TestPki.ca("CN=Backend CA");
        home.certificate("client-1", "a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:11:22:33:44")
                .backend("orders-backend", "https://orders.internal.test:8443/", "/certificates/client-1")
                .file("config/authorities/backend-ca/authority.pem", TestPki.pem(ca.certificate()))
                .globalPolicy("<policies><inbound><base /></inbound><backend><forward-request timeout=\"20\" />"
                        + "</backend><outbound /><on-error /></policies>")
                .api("orders", "/orders/", null)
                .apiPolicy("orders", TestHome.policyUsing("client-1", "orders-backend"))
                .operation("orders", "get-order", "GET", "/{id}")
                .api("root", "")
                .api("noPolicy", "plain");

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        GatewaySnapshot snapshot = result.snapshot();
        assertThat(snapshot.apis()).containsOnlyKeys("noPolicy", "orders", "root");
        assertThat(List.copyOf(snapshot.apis().keySet())).containsExactly("noPolicy", "orders", "root");
        assertThat(snapshot.certificates().get("client-1").thumbprint()).isEqualTo(THUMBPRINT_1);
        assertThat(snapshot.certificateIdForThumbprint(THUMBPRINT_1)).contains("client-1");
        assertThat(snapshot.backends().get("orders-backend").credentials().certificateIds())
                .containsExactly("/certificates/client-1");
        assertThat(snapshot.authorities().get("backend-ca").certificate()).isEqualTo(ca.certificate());
        assertThat(snapshot.authorities().get("backend-ca").properties().subject()).isEqualTo("CN=Backend CA");

        ApiConfig orders = snapshot.apis().get("orders");
        assertThat(orders.properties().serviceUrl()).isNull();
        assertThat(orders.policy().inbound()).contains(AuthenticationCertificate.byId("client-1"));
        assertThat(orders.effectivePolicy().inbound())
                .containsExactly(AuthenticationCertificate.byId("client-1"), new SetBackendService(null, "orders-backend"));
        OperationConfig getOrder = orders.operations().get("get-order");
        assertThat(getOrder.policy()).isEqualTo(PolicyDocument.INHERIT);
        assertThat(getOrder.effectivePolicy().inbound()).isEqualTo(orders.effectivePolicy().inbound());
        assertThat(getOrder.effectivePolicy().backend()).doesNotHaveAnyElementsOfTypes(Base.class).isNotEmpty();
        assertThat(snapshot.apis().get("noPolicy").policy()).isEqualTo(PolicyDocument.INHERIT);
        assertThat(snapshot.apis().get("noPolicy").effectivePolicy().inbound()).doesNotHaveAnyElementsOfTypes(Base.class);
    }

    @Test
    void anEmptyHomeIsAValidEmptyConfiguration() {
        LoadResult result = loader.load();

        assertThat(result.valid()).isTrue();
        assertThat(result.snapshot().apis()).isEmpty();
        assertThat(result.snapshot().globalPolicy()).isEqualTo(PolicyDocument.INHERIT);
    }

    @Test
    void aCertificateWhoseKeyIsMissingIsAnErrorThatKeepsOnlyTheApisPresentingItFromServing() throws Exception {
        home.certificate("ghost", THUMBPRINT_1).certificate("kept", THUMBPRINT_2).backend("b", "https://b.test")
                .api("haunted", "haunted").apiPolicy("haunted", TestHome.policyUsing("ghost", "b"))
                .api("byThumbprint", "thumb").apiPolicy("byThumbprint", "<policies><inbound><base />"
                        + "<authentication-certificate thumbprint=\"" + THUMBPRINT_1 + "\" /></inbound></policies>")
                .api("fine", "fine").apiPolicy("fine", TestHome.policyUsing("kept", "b"));
        Files.delete(home.layout.certificateKeyStore("ghost"));

        LoadResult result = loader.load();

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/certificates/ghost/certificateInformation.json");
            assertThat(error.message())
                    .isEqualTo("its private key secrets/certificates/ghost.p12 is missing: upload the certificate again");
        });
        assertThat(result.snapshot().apis()).containsOnlyKeys("fine");
        assertThat(result.apiErrors()).containsOnlyKeys("haunted", "byThumbprint");
        assertThat(result.apiErrors().get("haunted")).extracting(ConfigError::message)
                .containsExactly("its private key secrets/certificates/ghost.p12 is missing: upload the certificate again");
    }

    @Test
    void anApiPathNoRequestCouldReachIsAnErrorAtItsLine() {
        String[][] cases = {
                {"x/../y", "has a '..' segment, which requests never keep"},
                {"./x", "has a '.' segment, which requests never keep"},
                {"admin", "is under /admin, the admin API's own path"},
                {"/admin/tools/", "is under /admin, the admin API's own path"},
                {"admin;v=1", "is under /admin, the admin API's own path"},
                {"a b", "has a space, which requests carry escaped: write the path as it appears in a URL"},
                {"q?x=1", "has '?' (U+003F), which requests carry escaped: write the path as it appears in a URL"},
                {"\u00fcn\u00ef", "has '\u00fc' (U+00FC), which requests carry escaped: write the path as it appears in a URL"},
                {"a%2", "has a '%' that does not start an escape such as %20"},
                {"%61dmin", "is under /admin, the admin API's own path"},
                {"%2e%2e/x", "has a '..' segment ('%2e%2e'), which requests never keep"},
                {"a/%2E", "has a '.' segment ('%2E'), which requests never keep"},
                {"v%31", "has %31, an escaped '1', which URLs carry unescaped: write '1'"},
                {"a%2Fb", "has %2F, an encoded '/' inside a segment, which the gateway refuses in request paths"},
                {"a%5cb", "has %5c, an encoded '\\' inside a segment, which the gateway refuses in request paths"},
                {"a%00b", "has %00, an encoded control character, which servers refuse in request paths"},
                {"a%25b", "has %25, an encoded '%', which the server refuses in request paths"},
                {"caf%C3", "has escapes that are not UTF-8, which servers refuse in request paths"}};
        for (int i = 0; i < cases.length; i++) {
            home.file("config/apis/bad" + i + "/apiInformation.json",
                    "{\n  \"properties\": {\n    \"path\": \"" + cases[i][0] + "\"\n  }\n}");
        }
        home.api("fine", "a%20b/~user/v1;x=1/@me:here/caf%C3%A9/%3B");

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::describe).containsExactlyInAnyOrder(
                java.util.stream.IntStream.range(0, cases.length).mapToObj(i -> "config/apis/bad" + i
                        + "/apiInformation.json:3:5: properties.path \"" + cases[i][0] + "\" " + cases[i][1])
                        .toArray(String[]::new));
        assertThat(result.snapshot().apis()).containsOnlyKeys("fine");
    }

    @Test
    void aRequiredPropertyLeftOutIsReportedWhereItsPropertiesStart() {
        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\n    \"protocol\": \"http\"\n  }\n}")
                .file("config/apis/a/apiInformation.json", "{\n \"properties\": {\"serviceUrl\": \"nope\", \"path\": \"a\"}}")
                .file("config/apis/a/operations/op/operationInformation.json", "{\"properties\": {\"method\": \"GET\"}}");

        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactlyInAnyOrder(
                "config/backends/b/backendInformation.json:2:3: properties.url is required: an absolute http or https URL",
                "config/apis/a/apiInformation.json:2:17: properties.serviceUrl \"nope\" is not an absolute http or https URL",
                "config/apis/a/operations/op/operationInformation.json:1:2: properties.urlTemplate is required and starts"
                        + " with '/', such as /orders/{id}");
    }

    @Test
    void aPolicyNamingAMissingBackendIsAnError() {
        home.certificate("client-1", THUMBPRINT_1).api("a", "a").apiPolicy("a", TestHome.policyUsing("client-1", "nope"));

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/apis/a/policy.xml");
            assertThat(error.message()).contains("backend-id \"nope\"").contains("does not exist");
        });
    }

    @Test
    void aPolicyNamingAMissingCertificateIdIsAnError() {
        home.backend("b", "https://b.test").globalPolicy(TestHome.policyUsing("gone", "b"));

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/policy.xml");
            assertThat(error.message()).contains("certificate-id \"gone\"").contains("does not exist");
        });
    }

    @Test
    void aPolicyThumbprintIsComparedAfterNormalisation() {
        home.certificate("client-1", THUMBPRINT_1)
                .api("a", "a").apiPolicy("a", "<policies><inbound><authentication-certificate thumbprint=\""
                        + "a1:b2:c3:d4:e5:f6:07:18:29:3a:4b:5c:6d:7e:8f:90:11:22:33:44\" /></inbound></policies>")
                .api("b", "b").apiPolicy("b", "<policies><inbound><authentication-certificate thumbprint=\""
                        + THUMBPRINT_2 + "\" /></inbound></policies>");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/apis/b/policy.xml");
            assertThat(error.message()).contains(THUMBPRINT_2).contains("matches no certificate");
        });
    }

    @Test
    void backendCertificateReferencesMustExist() {
        home.certificate("client-1", THUMBPRINT_1)
                .backend("by-path", "https://a.test", "/certificates/client-1")
                .backend("bare", "https://a.test", "client-1")
                .backend("dangling", "https://a.test", "/certificates/missing")
                .file("config/backends/by-thumbprint/backendInformation.json", TestHome.envelope(java.util.Map.of(
                        "url", "https://a.test", "credentials", java.util.Map.of("certificate",
                                List.of(THUMBPRINT_1.toLowerCase(), THUMBPRINT_2)))))
                // The thumbprint list is ignored when certificateIds is given (APIM's rule).
                .file("config/backends/ids-win/backendInformation.json", TestHome.envelope(java.util.Map.of(
                        "url", "https://a.test", "credentials", java.util.Map.of(
                                "certificateIds", List.of("/certificates/client-1"), "certificate", List.of(THUMBPRINT_2)))));

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/backends/dangling/backendInformation.json", "config/backends/by-thumbprint/backendInformation.json");
        assertThat(errors).extracting(ConfigError::message).anySatisfy(m ->
                assertThat(m).contains("certificateIds[0]").contains("\"missing\"").contains("does not exist"));
        assertThat(errors).extracting(ConfigError::message).anySatisfy(m ->
                assertThat(m).contains("credentials.certificate[1]").contains(THUMBPRINT_2).contains("matches no certificate"));
    }

    @Test
    void referenceErrorsPointAtTheLineAndColumnThatNameTheMissingThing() {
        home.certificate("client-1", THUMBPRINT_1)
                .backend("b", "https://b.test")
                .api("orders", "orders")
                .apiPolicy("orders", "<policies>\n  <inbound>\n    <base />\n"
                        + "    <authentication-certificate certificate-id=\"gone\" />\n"
                        + "    <set-backend-service backend-id=\"nowhere\" />\n"
                        + "        <authentication-certificate thumbprint=\"" + THUMBPRINT_2 + "\" />\n"
                        + "  </inbound>\n</policies>\n")
                .file("config/backends/dangling/backendInformation.json", "{\n  \"properties\": {\n"
                        + "    \"url\": \"https://a.test\",\n    \"credentials\": {\n      \"certificateIds\": [\n"
                        + "        \"/certificates/client-1\",\n        \"/certificates/missing\"\n      ]\n    }\n  }\n}\n")
                .file("config/backends/by-thumbprint/backendInformation.json", "{\"properties\": {\"url\": \"https://a.test\","
                        + "\n \"credentials\": {\"certificate\": [\"" + THUMBPRINT_2 + "\"]}}}");

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(e -> e.file() + ":" + e.line() + ":" + e.column()).containsExactlyInAnyOrder(
                "config/backends/by-thumbprint/backendInformation.json:2:34",
                "config/backends/dangling/backendInformation.json:7:9",
                "config/apis/orders/policy.xml:4:5",
                "config/apis/orders/policy.xml:5:5",
                "config/apis/orders/policy.xml:6:9");
    }

    @Test
    void aBrokenBackendOrCertificateFileIsOneErrorNotOneMorePerReferenceToIt() {
        home.file("config/backends/b/backendInformation.json", TestHome.envelope(java.util.Map.of("url", "ftp://b.test")))
                .file("config/certificates/c/certificateInformation.json", TestHome.envelope(java.util.Map.of("subject", "CN=c")))
                .api("a", "a").apiPolicy("a", TestHome.policyUsing("c", "b"));

        assertThat(loader.load().errors()).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/backends/b/backendInformation.json", "config/certificates/c/certificateInformation.json");
    }

    @Test
    void twoApisWithTheSamePathAreAnError() {
        home.api("first", "/orders/").api("second", "orders").api("third", "orders/v2");

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(e -> e.file() + " " + e.message()).containsExactly(
                "config/apis/first/apiInformation.json path \"orders\" is also used by API \"second\"; neither is"
                        + " served until one changes",
                "config/apis/second/apiInformation.json path \"orders\" is also used by API \"first\"; neither is"
                        + " served until one changes");
        assertThat(result.apiErrors()).containsOnlyKeys("first", "second");
        assertThat(result.snapshot().apis()).containsOnlyKeys("third");
    }

    @Test
    void twoOperationsWithTheSameMethodAndTemplateAreAnError() {
        home.api("a", "a")
                .operation("a", "get-1", "GET", "/items/{id}")
                .operation("a", "get-2", "get", "/items/{itemId}")
                .operation("a", "post", "POST", "/items/{id}")
                .api("b", "b").operation("b", "get-1", "GET", "/items/{id}");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/apis/a/operations/get-2/operationInformation.json");
            assertThat(error.message()).contains("already used by operation \"get-1\"");
        });
    }

    @Test
    void requiredFieldsAreChecked() {
        home.file("config/apis/no-path/apiInformation.json", TestHome.envelope(java.util.Map.of("displayName", "x")))
                .api("bad-service-url", "x", "ftp://files.test/")
                .api("ops", "ops")
                .file("config/apis/ops/operations/no-method/operationInformation.json",
                        TestHome.envelope(java.util.Map.of("urlTemplate", "/x")))
                .operation("ops", "no-slash", "GET", "x/{id}")
                .backend("relative-url", "/just/a/path")
                .file("config/backends/no-url/backendInformation.json", TestHome.envelope(java.util.Map.of("protocol", "http")))
                .file("config/certificates/no-thumbprint/certificateInformation.json",
                        TestHome.envelope(java.util.Map.of("subject", "CN=x")));

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(e -> e.file() + " " + e.message()).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).startsWith("config/certificates/no-thumbprint/").contains("properties.thumbprint is required"),
                m -> assertThat(m).startsWith("config/backends/no-url/").contains("properties.url is required"),
                m -> assertThat(m).startsWith("config/backends/relative-url/").contains("\"/just/a/path\" is not an absolute"),
                m -> assertThat(m).startsWith("config/apis/bad-service-url/").contains("properties.serviceUrl"),
                m -> assertThat(m).startsWith("config/apis/no-path/").contains("properties.path is required"),
                m -> assertThat(m).startsWith("config/apis/ops/operations/no-method/").contains("properties.method"),
                m -> assertThat(m).startsWith("config/apis/ops/operations/no-slash/").contains("properties.urlTemplate"));
    }

    @Test
    void reportsEveryErrorOfALoadNotJustTheFirst() {
        home.file("config/backends/broken/backendInformation.json", "{ \"properties\": ")
                .file("config/apis/bad id/apiInformation.json", "{}")
                .backend("dangling", "https://a.test", "missing-cert")
                .api("x", "same").api("y", "same")
                .file("config/authorities/not-pem/authority.pem", "hello");

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(ConfigError::file).containsExactlyInAnyOrder(
                "config/backends/broken/backendInformation.json",
                "config/apis/bad id",
                "config/backends/dangling/backendInformation.json",
                "config/apis/x/apiInformation.json",
                "config/apis/y/apiInformation.json",
                "config/authorities/not-pem/authority.pem");
    }

    @Test
    void aFolderWhoseNameIsNotAnIdIsAnErrorNamingTheFolder() {
        home.file("config/backends/-starts-with-dash/backendInformation.json", "{}")
                .file("config/certificates/has space/certificateInformation.json", "{}");

        assertThat(loader.load().errors()).extracting(ConfigError::file, ConfigError::message).satisfiesExactlyInAnyOrder(
                e -> assertThat(e.toList()).containsExactly("config/backends/-starts-with-dash",
                        "folder name \"-starts-with-dash\" is not a valid backend id: it must match "
                                + dev.certgate.api.Ids.PATTERN.pattern()),
                e -> assertThat(e.toList().get(0)).isEqualTo("config/certificates/has space"));
    }

    @Test
    void malformedJsonIsReportedWithLineAndColumn() {
        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\n    \"url\": \"https://a.test\",\n"
                + "    oops: 1\n  }\n}\n");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/backends/b/backendInformation.json");
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.column()).isEqualTo(5);
            assertThat(error.message()).startsWith("invalid JSON: Unexpected character ('o'");
        });
    }

    @Test
    void aPropertyGivenTwiceIsAnErrorAtItsSecondLine() {
        // A merge that kept both sides' line must not decide silently which one is served.
        home.file("config/apis/orders/apiInformation.json", "{\n  \"properties\": {\n    \"path\": \"orders\",\n"
                + "    \"serviceUrl\": \"https://orders.test\",\n    \"path\": \"other\"\n  }\n}\n");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/apis/orders/apiInformation.json");
            assertThat(error.line()).isEqualTo(5);
            assertThat(error.message()).startsWith("invalid JSON: Duplicate field 'path'");
        });
    }

    @Test
    void aValueOfTheWrongTypeIsReportedWithItsPathAndLine() {
        home.file("config/backends/b/backendInformation.json", "{\n  \"properties\": {\n    \"url\": \"https://a.test\",\n"
                + "    \"tls\": {\"validateCertificateChain\": \"maybe\"}\n  }\n}\n");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.column()).isPositive();
            assertThat(error.message())
                    .isEqualTo("invalid value at properties.tls.validateCertificateChain: expected true or false");
        });
    }

    @Test
    void anUnparsableDateIsReportedWithoutQuotingTheValue() {
        // A password pasted into the wrong field must not reach the status page or the log through the error.
        home.file("config/certificates/c/certificateInformation.json", "{\n  \"properties\": {\n"
                + "    \"thumbprint\": \"AB\",\n    \"expirationDate\": \"hunter2-pasted-here\"\n  }\n}\n");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.line()).isEqualTo(4);
            assertThat(error.message()).isEqualTo("invalid value at properties.expirationDate: expected a date and time"
                    + " in ISO 8601 form, such as \"2027-01-31T00:00:00Z\"");
        });
    }

    @Test
    void aFileWithoutPropertiesOrWithTrailingGarbageIsAnError() {
        home.file("config/backends/none/backendInformation.json", "{\"url\": \"https://a.test\"}")
                .file("config/backends/trailing/backendInformation.json", "{\"properties\": {\"url\": \"https://a.test\"}} x")
                .file("config/backends/empty/backendInformation.json", "");

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(ConfigError::file, ConfigError::message).satisfiesExactlyInAnyOrder(
                e -> assertThat(e.toList()).containsExactly("config/backends/empty/backendInformation.json",
                        "invalid JSON: No content to map due to end-of-input"),
                e -> assertThat(e.toList().get(1).toString()).startsWith("missing \"properties\""),
                e -> assertThat(e.toList().get(0)).isEqualTo("config/backends/trailing/backendInformation.json"));
    }

    @Test
    void aMisspeltTopLevelPropertiesIsNamedAtItsLine() {
        home.file("config/backends/typo/backendInformation.json",
                "{\n  \"name\": \"typo\",\n  \"propertiez\": {\n    \"url\": \"https://a.test\"\n  }\n}\n");

        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactly(
                "config/backends/typo/backendInformation.json:3:3: missing \"properties\", and the top level has"
                        + " unknown property 'propertiez': did you mean 'properties'? (the file must have the shape"
                        + " {\"properties\": {...}})");
    }

    @Test
    void aPolicyThatIsNotUtf8IsAnErrorAtItsFirstBadByte() throws Exception {
        home.api("latin", "latin").api("notepad", "notepad");
        byte[] utf8 = "<policies>\n  <inbound>\n    <set-header name=\"X\"><value>caf\u00e9 ?</value></set-header>\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] latin = java.util.Arrays.copyOf(utf8, utf8.length);
        latin[latin.length - 23] = (byte) 0xC3; // the '?' after "café ", with the '<' behind it: C3 3C is not UTF-8
        java.nio.file.Files.write(home.path("config/apis/latin/policy.xml"), latin);
        byte[] utf16 = "\uFEFF<policies/>".getBytes(java.nio.charset.StandardCharsets.UTF_16LE);
        java.nio.file.Files.write(home.path("config/apis/notepad/policy.xml"), utf16);

        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactlyInAnyOrder(
                "config/apis/latin/policy.xml:3:38: not valid UTF-8: byte 0xC3 does not start or continue a"
                        + " character: save the file as UTF-8",
                "config/apis/notepad/policy.xml:1:1: not valid UTF-8: byte 0xFF does not start or continue a"
                        + " character: the file starts with a UTF-16 byte-order mark; save it as UTF-8");
    }

    @Test
    void aPropertyNobodyDefinesIsAnErrorAtItsLineNamingTheClosestKnownName() {
        home.file("config/apis/orders/apiInformation.json", "{\n  \"properties\": {\n    \"path\": \"orders\",\n"
                        + "    \"serviceURL\": \"https://orders.test\"\n  }\n}\n")
                .file("config/apis/odd/apiInformation.json", TestHome.envelope(java.util.Map.of("path", "odd", "flavour", 1)))
                .file("config/apis/odd/operations/get/operationInformation.json", TestHome.envelope(java.util.Map.of(
                        "methd", "GET", "urlTemplate", "/x")))
                .file("config/backends/b/backendInformation.json", TestHome.envelope(java.util.Map.of("url", "https://b.test",
                        "credentials", java.util.Map.of("certificateID", List.of("/certificates/c")),
                        "tls", java.util.Map.of("validateCertificateChian", false))));

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::file, ConfigError::message).containsExactlyInAnyOrder(
                org.assertj.core.groups.Tuple.tuple("config/apis/orders/apiInformation.json",
                        "unknown property 'serviceURL': did you mean 'serviceUrl'?"),
                org.assertj.core.groups.Tuple.tuple("config/apis/odd/apiInformation.json",
                        "unknown property 'flavour': neither Certgate nor APIM defines it for an API; Certgate reads "
                                + "displayName, path, serviceUrl, protocols, type, apiType, isCurrent, apiVersion, apiVersionSetId, "
                                + "translateRequiredQueryParameters"),
                org.assertj.core.groups.Tuple.tuple("config/apis/odd/operations/get/operationInformation.json",
                        "unknown property 'methd': did you mean 'method'?"),
                // The rest of the file is checked too: every mistake in one load.
                org.assertj.core.groups.Tuple.tuple("config/apis/odd/operations/get/operationInformation.json",
                        "properties.method is required: an HTTP method such as GET"),
                org.assertj.core.groups.Tuple.tuple("config/backends/b/backendInformation.json",
                        "unknown property 'credentials.certificateID': did you mean 'credentials.certificateIds'?"),
                org.assertj.core.groups.Tuple.tuple("config/backends/b/backendInformation.json",
                        "unknown property 'tls.validateCertificateChian': did you mean 'tls.validateCertificateChain'?"));
        assertThat(result.errors()).filteredOn(e -> e.file().contains("orders")).singleElement()
                .satisfies(e -> assertThat(List.of(e.line(), e.column())).containsExactly(4, 5));
        assertThat(result.errors()).filteredOn(e -> e.message().startsWith("unknown"))
                .allSatisfy(e -> assertThat(e.line()).isNotNull());
    }

    @Test
    void apimPropertiesAreKeptAndTheSettingsAmongThemAreWarnings() {
        home.file("config/backends/b/backendInformation.json", "{\"id\": \"/backends/b\", \"type\": \"x\", \"properties\": "
                        + "{\"url\": \"https://a.test\", \"resourceId\": \"r\", \"type\": \"Single\",\n"
                        + "  \"circuitBreaker\": {\"rules\": []}, \"pool\": {\"services\": [{\"id\": \"/backends/x\"}]},\n"
                        + "  \"credentials\": {\"query\": {\"code\": [\"k\"]}}, \"tls\": {\"validateCertificateName\": false}}}")
                .file("config/apis/quiet/apiInformation.json", "{\"properties\": {\"path\": \"quiet\", \"apiRevision\": \"1\","
                        + " \"isCurrent\": true, \"authenticationSettings\": {}, \"subscriptionRequired\": false,"
                        + " \"description\": \"d\", \"contact\": {\"name\": \"n\"}}}");

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        BackendProperties backend = result.snapshot().backends().get("b");
        assertThat(backend.tls().chain()).isTrue();
        assertThat(backend.tls().name()).isFalse();
        assertThat(backend.unused()).containsOnlyKeys("circuitBreaker", "pool", "resourceId", "type");
        assertThat(result.snapshot().apis().get("quiet").properties().unused()).hasSize(6);
        assertThat(result.warnings()).singleElement().satisfies(warning -> {
            assertThat(warning.code()).isEqualTo(ConfigWarning.NOT_USED);
            assertThat(warning.file()).isEqualTo("config/backends/b/backendInformation.json");
            assertThat(warning.message()).isEqualTo("not used by Certgate (kept as written): pool, credentials.query");
            assertThat(List.of(warning.line(), warning.column())).containsExactly(2, 36);
        });
    }

    @Test
    void realApiopsExtractsLoadWithEveryApimPropertyKeptAndTheSettingsWarned() throws Exception {
        Path extract = Path.of(System.getProperty("user.dir")).resolve("../../shared/realworld/apiops-sample-artifacts")
                .normalize();
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(extract), "the shared real-world data is here");
        List<Path> copied = new java.util.ArrayList<>();
        try (java.util.stream.Stream<Path> files = Files.walk(extract)) {
            for (Path source : files.filter(f -> f.getFileName().toString().matches("(api|backend)Information\\.json"))
                    .toList()) {
                String folder = source.getParent().getFileName().toString();
                // "revisioned-api;rev=2" is a revision, which Certgate does not have: its folder name is not an id.
                if (dev.certgate.api.Ids.isValid(folder)) {
                    Path target = home.path("config").resolve(extract.relativize(source).toString());
                    Files.createDirectories(target.getParent());
                    Files.copy(source, target);
                    copied.add(target);
                }
            }
        }
        assertThat(copied).hasSizeGreaterThan(5);

        LoadResult result = loader.load();

        assertThat(result.errors()).extracting(ConfigError::file).as("HTTP APIs only; the version set is not there")
                .containsExactly("config/apis/graphql-api/apiInformation.json",
                        "config/apis/soap-api/apiInformation.json", "config/apis/versioned-api-v1/apiInformation.json",
                        "config/apis/versioned-api-v2/apiInformation.json");
        assertThat(result.warnings()).extracting(w -> w.file() + " " + w.message()).contains(
                "config/apis/basic-api/apiInformation.json not used by Certgate (kept as written): subscriptionRequired",
                "config/apis/versioned-api-v1/apiInformation.json not used by Certgate (kept as written): "
                        + "subscriptionRequired");
        for (Path file : copied) {
            Class<?> type = file.getFileName().toString().startsWith("api") ? dev.certgate.api.model.ApiProperties.class
                    : BackendProperties.class;
            Object properties = JsonEnvelope.read(Files.readAllBytes(file), type, file.toString(), new java.util.ArrayList<>());
            com.fasterxml.jackson.databind.JsonNode original = Json.MAPPER.readTree(file.toFile());
            com.fasterxml.jackson.databind.JsonNode written = Json.MAPPER.readTree(JsonEnvelope.write(properties));
            original.path("properties").fields().forEachRemaining(field -> assertThat(written.path("properties")
                    .get(field.getKey())).as(file + " keeps " + field.getKey()).isEqualTo(field.getValue()));
        }
    }

    @Test
    void anAuthorityMustBeOneCertificateWithoutAKey() {
        TestPki.Issued ca = TestPki.ca("CN=Good CA");
        TestPki.Issued other = TestPki.ca("CN=Other CA");
        home.file("config/authorities/good/authority.pem", TestPki.pem(ca.certificate()))
                .file("config/authorities/with-key/authority.pem", ca.pem())
                .file("config/authorities/two/authority.pem", TestPki.pem(ca.certificate(), other.certificate()))
                .file("config/authorities/garbage/authority.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");

        List<ConfigError> errors = loader.load().errors();

        assertThat(errors).extracting(e -> e.file() + " " + e.message()).satisfiesExactlyInAnyOrder(
                m -> assertThat(m).startsWith("config/authorities/garbage/authority.pem The data is not a certificate"),
                m -> assertThat(m).startsWith("config/authorities/two/authority.pem The data holds 2 certificates"),
                m -> assertThat(m).startsWith("config/authorities/with-key/authority.pem The file carries a private key"));
        assertThat(errors).extracting(ConfigError::message).noneMatch(m -> m.contains("PRIVATE KEY-----"));
    }

    @Test
    void aPolicyThatDoesNotParseIsReportedWithLineAndColumn() {
        home.api("a", "a").apiPolicy("a", "<policies>\n  <inbound>\n    <ip-filter action=\"allow\" />\n  </inbound>\n</policies>");

        assertThat(loader.load().errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/apis/a/policy.xml");
            assertThat(error.line()).isEqualTo(3);
            assertThat(error.column()).isPositive();
            assertThat(error.message()).contains("ip-filter");
        });
    }

    @Test
    void everyProblemOfAPolicyFileIsAnErrorOfItsOwn() {
        home.api("a", "a").apiPolicy("a", "<policies>\n  <inbound>\n    <ip-filter action=\"allow\" />\n"
                + "    <set-header name=\"X\"><value>@(context.RequestId)</value></set-header>\n  </inbound>\n</policies>");

        assertThat(loader.load().errors()).extracting(ConfigError::describe).containsExactly(
                "config/apis/a/policy.xml:3:5: <ip-filter>: unknown policy <ip-filter>; supported: base,"
                        + " authentication-certificate, set-backend-service, set-header, rewrite-uri, forward-request, cors, include-fragment",
                "config/apis/a/policy.xml:4:33: <value>: policy expression (line 4, column 33): not supported");
    }

    @Test
    void filesItDoesNotKnowAreIgnoredButAFolderWithContentNeedsItsInformationFile() {
        home.backend("b", "https://a.test")
                .file("config/backends/b/.backendInformation.json.1234.tmp", "{ half")
                .file("config/backends/b/backendInformation.json~", "{ backup")
                .file("config/backends/notes.txt", "not a folder")
                .file("config/backends/.hidden-folder/backendInformation.json", "{ hidden")
                .file("config/backends/crashed/.backendInformation.json.99.tmp", "{ half")
                .file("config/backends/typo/backendInfo.json", "{}");

        LoadResult result = loader.load();

        assertThat(result.errors()).singleElement().satisfies(error -> {
            assertThat(error.file()).isEqualTo("config/backends/typo");
            assertThat(error.message()).isEqualTo("missing backendInformation.json");
        });
    }

    @Test
    void anIdEndingInTmpIsAnEntityLikeAnyOtherWhileAFileSoNamedIsSkipped() {
        home.certificate("client.tmp", THUMBPRINT_1).backend("b.tmp", "https://a.test", "client.tmp")
                .api("orders.tmp", "orders").operation("orders.tmp", "get.tmp", "GET", "/items")
                .file("config/backends/b.tmp/backendInformation.json.tmp", "{ half")
                .file("config/backends/stray.tmp", "not a folder");

        LoadResult result = loader.load();

        assertThat(result.errors()).isEmpty();
        assertThat(result.snapshot().certificates()).containsOnlyKeys("client.tmp");
        assertThat(result.snapshot().backends()).containsOnlyKeys("b.tmp");
        assertThat(result.snapshot().apis()).containsOnlyKeys("orders.tmp");
        assertThat(result.snapshot().apis().get("orders.tmp").operations()).containsOnlyKeys("get.tmp");
    }

    @Test
    void validatesAPendingChangeWithoutTouchingTheDisk() throws Exception {
        home.certificate("client-1", THUMBPRINT_1).backend("b", "https://a.test", "client-1")
                .backend("old", "https://old.test");
        HomeLayout layout = home.layout;

        LoadResult afterDeletingTheCertificate = loader.load(HomeView.overlay(List.of(
                new ConfigChange.Step(layout.certificateDir("client-1"), null, true),
                new ConfigChange.Step(layout.certificateKeyStore("client-1"), null, false))));
        LoadResult afterReplacingTheBackends = loader.load(HomeView.overlay(List.of(
                new ConfigChange.Step(layout.certificateDir("client-1"), null, true),
                new ConfigChange.Step(layout.certificateKeyStore("client-1"), null, false),
                new ConfigChange.Step(layout.backendInformation("b"), TestHome.bytes(TestHome.envelope(
                        java.util.Map.of("url", "https://new.test"))), false),
                new ConfigChange.Step(layout.backendInformation("old"), null, false),
                new ConfigChange.Step(layout.backendInformation("added"), TestHome.bytes(TestHome.envelope(
                        java.util.Map.of("url", "https://added.test"))), false))));

        assertThat(afterDeletingTheCertificate.errors()).singleElement()
                .satisfies(e -> assertThat(e.message()).contains("\"client-1\", which does not exist"));
        assertThat(afterReplacingTheBackends.snapshot().certificates()).isEmpty();
        assertThat(afterReplacingTheBackends.snapshot().backends()).containsOnlyKeys("added", "b");
        assertThat(afterReplacingTheBackends.snapshot().backends().get("b").url()).isEqualTo("https://new.test");
        assertThat(Files.exists(layout.certificateInformation("client-1"))).isTrue();
        assertThat(Files.exists(layout.backendDir("added"))).isFalse();
        assertThat(loader.load().snapshot().backends()).containsOnlyKeys("b", "old");
    }

    @Test
    void snapshotsAreImmutable() {
        home.backend("b", "https://a.test");
        GatewaySnapshot snapshot = loader.load().snapshot();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> snapshot.backends().remove("b"))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
