package dev.certgate.policy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyParserTest {
    private static final String SOURCE = "apis/orders/policy.xml";
    private static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";

    static PolicyDocument parse(String xml) {
        return PolicyParser.parse(xml, SOURCE);
    }

    static PolicyException failure(String xml) {
        return assertThrows(PolicyException.class, () -> parse(xml));
    }

    /** A document whose given section holds the given XML, on line 3 at column 9. */
    static String in(String section, String policies) {
        return "<policies>\n    <" + section + ">\n        " + policies + "\n    </" + section + ">\n</policies>";
    }

    static List<Policy> inbound(String policies) {
        return parse(in("inbound", policies)).inbound();
    }

    /** Asserts an error about the policy at line 3, column 9 of {@link #in}. */
    static void assertRefusedAtPolicy(String section, String policies, String element, String... reasonParts) {
        PolicyException e = failure(in(section, policies));
        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(9);
        assertThat(e.element()).isEqualTo(element);
        assertThat(e.reason()).contains(reasonParts);
        assertThat(e.getMessage()).startsWith(SOURCE + ":3:9: <" + element + ">: ");
    }

    @Nested
    class DocumentStructure {
        @Test
        void missingSectionsInheritAndPresentEmptySectionsAreEmpty() {
            assertThat(parse("<policies/>")).isEqualTo(PolicyDocument.INHERIT);
            PolicyDocument document = parse("<policies><outbound/><inbound></inbound></policies>");
            assertThat(document.inbound()).isEmpty();
            assertThat(document.outbound()).isEmpty();
            assertThat(document.backend()).containsExactly(Base.INSTANCE);
            assertThat(document.onError()).containsExactly(Base.INSTANCE);
        }

        @Test
        void sectionsInAnyOrderMapToTheirFields() {
            PolicyDocument document = parse("""
                    <?xml version="1.0" encoding="utf-8"?>
                    <!-- APIM export -->
                    <policies>
                        <on-error><set-header name="X-Error" /></on-error>
                        <outbound><set-header name="X-Out" /></outbound>
                        <backend><forward-request timeout="20" /></backend>
                        <inbound><base /></inbound>
                    </policies>
                    """);
            assertThat(document).isEqualTo(new PolicyDocument(
                    List.of(Base.INSTANCE),
                    List.of(new ForwardRequest(20, false)),
                    List.of(new SetHeader("X-Out", ExistsAction.OVERRIDE, List.of())),
                    List.of(new SetHeader("X-Error", ExistsAction.OVERRIDE, List.of()))));
        }

        @Test
        void commentsAndWhitespaceAreIgnoredEverywhere() {
            PolicyDocument document = parse("""
                    <!-- before --><policies> <!-- a -->
                      <inbound>
                        <!-- b --> <base /> <!-- c -->
                        <set-header name="X"> <!-- d --> <value>v<!-- e -->w</value> </set-header>
                      </inbound>
                    </policies><!-- after -->
                    """);
            assertThat(document.inbound()).containsExactly(Base.INSTANCE,
                    new SetHeader("X", ExistsAction.OVERRIDE, List.of("vw")));
        }

        @Test
        void byteOrderMarkAndWindowsLineEndsAreAccepted() {
            String xml = "\uFEFF<policies>\r\n  <inbound>\r\n    <base />\r\n    <nope />\r\n  </inbound>\r\n</policies>";
            PolicyException e = failure(xml);
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(5);
            assertThat(parse(xml.replace("<nope />", ""))).isEqualTo(new PolicyDocument(
                    List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE)));
        }

        @Test
        void errorPointsAtTheOpeningOfAMultiLineTag() {
            PolicyException e = failure("""
                    <policies>
                      <backend>
                        <base/><forward-request
                            timeout="0" />
                      </backend>
                    </policies>""");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(12);
            assertThat(e.element()).isEqualTo("forward-request");
        }

        @Test
        void wrongRootElementIsRefused() {
            PolicyException e = failure("\n  <policy><inbound /></policy>");
            assertThat(e.line()).isEqualTo(2);
            assertThat(e.column()).isEqualTo(3);
            assertThat(e.element()).isEqualTo("policy");
            assertThat(e.reason()).isEqualTo("the root element must be <policies>, not <policy>");
        }

        @Test
        void duplicateSectionIsRefused() {
            PolicyException e = failure("<policies>\n<inbound/>\n<inbound/>\n</policies>");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.element()).isEqualTo("inbound");
            assertThat(e.reason()).isEqualTo("<inbound> may appear only once in <policies>");
        }

        @Test
        void unknownSectionIsRefused() {
            PolicyException e = failure("<policies>\n    <inbound/>\n    <outgoing/>\n</policies>");
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.element()).isEqualTo("outgoing");
            assertThat(e.reason()).contains("unknown element <outgoing> in <policies>",
                    "<inbound>, <backend>, <outbound>, <on-error>");
        }

        @Test
        void unknownPolicyIsRefusedNotIgnored() {
            assertRefusedAtPolicy("inbound", "<ip-filter action=\"allow\" />", "ip-filter",
                    "unknown policy <ip-filter>", "supported: base, authentication-certificate");
        }

        @Test
        void textWhereNoneIsAllowedIsRefusedAtTheText() {
            PolicyException e = failure("<policies>\n  <inbound>\n    <base />\n    oops &amp; more\n  </inbound>\n</policies>");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(5);
            assertThat(e.element()).isEqualTo("inbound");
            assertThat(e.reason()).isEqualTo("text is not allowed in <inbound>: 'oops & more'");

            assertThat(failure("<policies>x<inbound/></policies>").reason()).contains("text is not allowed in <policies>");
            assertThat(failure(in("backend", "<forward-request>30</forward-request>")).reason())
                    .contains("text is not allowed in <forward-request>");
            assertThat(failure(in("inbound", "<base><![CDATA[x]]></base>")).reason())
                    .contains("text is not allowed in <base>");
        }

        @Test
        void attributesOnTheStructureAreRefused() {
            assertThat(failure("<policies version=\"2\"/>").reason())
                    .isEqualTo("unknown attribute 'version'; <policies> takes no attributes");
            PolicyException e = failure("<policies>\n<inbound mode=\"x\"/></policies>");
            assertThat(e.element()).isEqualTo("inbound");
            assertThat(e.reason()).isEqualTo("unknown attribute 'mode'; <inbound> takes no attributes");
        }

        @Test
        void notWellFormedXmlNamesLineAndColumn() {
            PolicyException e = failure("<policies>\n  <inbound>\n    <base />\n  </outbound>\n</policies>");
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isPositive();
            assertThat(e.element()).isNull();
            assertThat(e.reason()).startsWith("not well-formed XML: ").contains("inbound");
            assertThat(e.getMessage()).startsWith(SOURCE + ":4:");
        }

        @ParameterizedTest
        @ValueSource(strings = {"", "   ", "<policies>", "<policies/><policies/>", "<policies a='1' a='2'/>",
                "<policies>&#0;</policies>", "just text"})
        void malformedDocumentsAreRefusedAsNotWellFormed(String xml) {
            PolicyException e = failure(xml);
            assertThat(e.reason()).startsWith("not well-formed XML: ");
            assertThat(e.line()).isPositive();
            assertThat(e.column()).isPositive();
        }

        @Test
        void processingInstructionsAndNamespacesAreRefused() {
            assertThat(failure("<?xml-stylesheet href=\"x\"?><policies/>").reason())
                    .contains("processing instructions");
            assertThat(failure("<policies xmlns=\"urn:x\"/>").reason()).contains("namespaces are not supported");
            PolicyException e = failure(in("inbound",
                    "<xi:include xmlns:xi=\"http://www.w3.org/2001/XInclude\" href=\"file:///etc/passwd\" />"));
            assertThat(e.reason()).contains("namespaces are not supported");
            assertThat(e.element()).isEqualTo("include");
            assertThat(failure(in("inbound", "<set-header xmlns:a=\"urn:a\" a:name=\"X\" />")).reason())
                    .contains("namespaces are not supported");
            assertThat(failure(in("inbound", "<set-header name=\"X\" xml:space=\"preserve\" />")).reason())
                    .isEqualTo("attribute 'xml:space': XML namespaces are not supported in policy documents");
        }

        @Test
        void nullSourceGetsAName() {
            PolicyException e = assertThrows(PolicyException.class, () -> PolicyParser.parse("<x/>", null));
            assertThat(e.source()).isEqualTo("policy.xml");
        }
    }

    @Nested
    class AuthenticationCertificatePolicy {
        @Test
        void thumbprintIsNormalisedToUpperCaseWithoutColonsOrSpaces() {
            String messy = "01:23:45:67:89:ab:cd:ef:01:23 45 67 89 AB cd EF 01 23 45 67";
            assertThat(inbound("<authentication-certificate thumbprint=\"" + messy + "\" />"))
                    .containsExactly(AuthenticationCertificate.byThumbprint(THUMBPRINT));
            assertThat(inbound("<authentication-certificate thumbprint=\" " + THUMBPRINT.toLowerCase() + " \" />"))
                    .containsExactly(AuthenticationCertificate.byThumbprint(THUMBPRINT));
        }

        @Test
        void certificateIdIsKeptAsWritten() {
            assertThat(inbound("<authentication-certificate certificate-id=\"Client_cert-1.v2\" />"))
                    .containsExactly(AuthenticationCertificate.byId("Client_cert-1.v2"));
        }

        @Test
        void bodyAndPasswordAreRefusedWithAWayForward() {
            for (String attribute : List.of("body=\"MIIK...\"", "password=\"secret\"")) {
                assertRefusedAtPolicy("inbound", "<authentication-certificate " + attribute + " />",
                        "authentication-certificate", "body/password are not supported: upload the certificate"
                                + " and reference it by thumbprint or certificate-id");
            }
            PolicyException e = failure(in("inbound",
                    "<authentication-certificate certificate-id=\"c1\" password=\"hunter2\" />"));
            assertThat(e.getMessage()).contains("body/password are not supported").doesNotContain("hunter2");
        }

        @Test
        void bothOrNeitherOfThumbprintAndCertificateIdAreRefused() {
            assertRefusedAtPolicy("inbound", "<authentication-certificate thumbprint=\"" + THUMBPRINT
                            + "\" certificate-id=\"c1\" />", "authentication-certificate",
                    "use either attribute 'thumbprint' or attribute 'certificate-id', not both");
            assertRefusedAtPolicy("inbound", "<authentication-certificate />", "authentication-certificate",
                    "one of the attributes 'thumbprint' or 'certificate-id' is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"0123456789ABCDEF0123456789ABCDEF0123456",
                "0123456789ABCDEF0123456789ABCDEF012345678", "G123456789ABCDEF0123456789ABCDEF01234567",
                "0123456789ABCDEF0123456789ABCDEF0123456-", ""})
        void badThumbprintIsRefused(String thumbprint) {
            assertRefusedAtPolicy("inbound", "<authentication-certificate thumbprint=\"" + thumbprint + "\" />",
                    "authentication-certificate", "attribute 'thumbprint'", "is not a SHA-1 thumbprint",
                    "40 hexadecimal digits");
        }

        @ParameterizedTest
        @ValueSource(strings = {"../etc", "a..b", "a/b", "-leading", "", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "with space"})
        void certificateIdOutsideTheIdPatternIsRefused(String id) {
            assertRefusedAtPolicy("inbound", "<authentication-certificate certificate-id=\"" + id + "\" />",
                    "authentication-certificate", "attribute 'certificate-id'", "is not a valid id",
                    dev.certgate.api.Ids.PATTERN.pattern());
        }

        @Test
        void unknownAttributeIsRefusedNotIgnored() {
            assertRefusedAtPolicy("inbound", "<authentication-certificate certificate-id=\"c1\" store=\"My\" />",
                    "authentication-certificate", "unknown attribute 'store'", "allowed: thumbprint, certificate-id");
        }

        @Test
        void everyUnknownAttributeOfAnElementIsNamedAtOnce() {
            assertRefusedAtPolicy("inbound",
                    "<authentication-certificate certificate-id=\"c1\" store=\"My\" location=\"x\" />",
                    "authentication-certificate", "unknown attributes 'store', 'location'",
                    "allowed: thumbprint, certificate-id");
        }

        @Test
        void onlyAllowedInInbound() {
            for (String section : List.of("backend", "outbound", "on-error")) {
                assertRefusedAtPolicy(section, "<authentication-certificate certificate-id=\"c1\" />",
                        "authentication-certificate", "<authentication-certificate> is not allowed in <" + section
                                + ">; allowed in: inbound");
            }
        }

        @Test
        void childElementsAreRefused() {
            PolicyException e = failure(in("inbound",
                    "<authentication-certificate certificate-id=\"c1\">\n<value>x</value></authentication-certificate>"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.element()).isEqualTo("value");
            assertThat(e.reason()).isEqualTo(
                    "<value> is not allowed inside <authentication-certificate>; it takes no child elements");
        }
    }

    @Nested
    class SetBackendServicePolicy {
        @Test
        void baseUrlOrBackendId() {
            assertThat(inbound("<set-backend-service base-url=\"https://orders.internal:8443/v2\" />"))
                    .containsExactly(new SetBackendService("https://orders.internal:8443/v2", null));
            assertThat(inbound("<set-backend-service backend-id=\"orders-backend\" />"))
                    .containsExactly(new SetBackendService(null, "orders-backend"));
        }

        @Test
        void bothOrNeitherAreRefused() {
            assertRefusedAtPolicy("inbound", "<set-backend-service base-url=\"http://a\" backend-id=\"b\" />",
                    "set-backend-service", "use either attribute 'base-url' or attribute 'backend-id', not both");
            assertRefusedAtPolicy("inbound", "<set-backend-service />", "set-backend-service",
                    "one of the attributes 'base-url' or 'backend-id' is required");
        }

        @ParameterizedTest
        @ValueSource(strings = {"ftp://files.example/x", "orders.internal/v2", "https://", "http://bad host/", ""})
        void baseUrlMustBeAnAbsoluteHttpUrl(String url) {
            assertRefusedAtPolicy("inbound", "<set-backend-service base-url=\"" + url + "\" />", "set-backend-service",
                    "attribute 'base-url' must be an absolute http or https URL");
        }

        @Test
        void backendIdMustMatchTheIdPattern() {
            assertRefusedAtPolicy("inbound", "<set-backend-service backend-id=\"a/../b\" />", "set-backend-service",
                    "attribute 'backend-id': 'a/../b' is not a valid id");
        }

        @Test
        void unknownAttributeAndWrongSectionAreRefused() {
            assertRefusedAtPolicy("inbound", "<set-backend-service backend-id=\"b\" sf-service-instance-name=\"x\" />",
                    "set-backend-service", "unknown attribute 'sf-service-instance-name'");
            assertRefusedAtPolicy("backend", "<set-backend-service backend-id=\"b\" />", "set-backend-service",
                    "<set-backend-service> is not allowed in <backend>; allowed in: inbound");
        }
    }

    @Nested
    class SetHeaderPolicy {
        @Test
        void defaultsToOverrideWithNoValues() {
            assertThat(inbound("<set-header name=\"X-Api-Key\" />"))
                    .containsExactly(new SetHeader("X-Api-Key", ExistsAction.OVERRIDE, List.of()));
        }

        @Test
        void everyExistsActionIsRead() {
            for (ExistsAction action : ExistsAction.values()) {
                String values = action == ExistsAction.DELETE ? "" : "<value>1</value>";
                assertThat(inbound("<set-header name=\"X\" exists-action=\"" + action.xmlName().toUpperCase() + "\">"
                        + values + "</set-header>"))
                        .containsExactly(new SetHeader("X", action,
                                action == ExistsAction.DELETE ? List.of() : List.of("1")));
            }
        }

        @Test
        void valuesAreLiteralTextTrimmedWithEntitiesAndCdataDecoded() {
            assertThat(inbound("""
                    <set-header name="X-Multi" exists-action="append">
                                <value>
                                    first value
                                </value>
                                <value>a &lt;b&gt; &amp; &quot;c&quot; &apos;d&apos; &#233;</value>
                                <value><![CDATA[<raw & "cdata">]]></value>
                                <value></value>
                                <value>tab\tinside</value>
                            </set-header>"""))
                    .containsExactly(new SetHeader("X-Multi", ExistsAction.APPEND, List.of(
                            "first value", "a <b> & \"c\" 'd' é", "<raw & \"cdata\">", "", "tab\tinside")));
        }

        @Test
        void allowedInInboundOutboundAndOnErrorOnly() {
            for (String section : List.of("inbound", "outbound", "on-error")) {
                assertThat(parse(in(section, "<set-header name=\"X\" />")).section(
                        dev.certgate.api.policy.Section.valueOf(section.toUpperCase().replace('-', '_'))))
                        .containsExactly(new SetHeader("X", ExistsAction.OVERRIDE, List.of()));
            }
            assertRefusedAtPolicy("backend", "<set-header name=\"X\" />", "set-header",
                    "<set-header> is not allowed in <backend>; allowed in: inbound, outbound, on-error");
        }

        @Test
        void nameIsRequiredAndMustBeAHeaderName() {
            assertRefusedAtPolicy("inbound", "<set-header exists-action=\"skip\" />", "set-header",
                    "attribute 'name' is required");
            assertRefusedAtPolicy("inbound", "<set-header name=\"X Api\" />", "set-header",
                    "attribute 'name': 'X Api' is not a valid header name");
            assertRefusedAtPolicy("inbound", "<set-header name=\"X:Y\" />", "set-header", "is not a valid header name");
            assertRefusedAtPolicy("inbound", "<set-header name=\"\" />", "set-header", "is not a valid header name");
        }

        @ParameterizedTest
        @ValueSource(strings = {"Content-Length", "transfer-encoding", "Connection", "Keep-Alive", "Upgrade", "TE",
                "Trailer", "Expect", "Proxy-Connection", "Proxy-Authorization", "PROXY-Anything"})
        void fieldsThatFrameTheMessageOrBelongToTheConnectionAreRefusedInEverySection(String name) {
            for (String section : List.of("inbound", "outbound", "on-error")) {
                for (String action : List.of("override", "append", "skip")) {
                    assertRefusedAtPolicy(section, "<set-header name=\"" + name + "\" exists-action=\"" + action
                                    + "\"><value>1</value></set-header>", "set-header",
                            "attribute 'name': header '" + name + "' cannot be set by a policy");
                }
                assertRefusedAtPolicy(section, "<set-header name=\"" + name + "\" exists-action=\"delete\" />",
                        "set-header", "header '" + name + "' cannot be set by a policy");
            }
        }

        @Test
        void hostAndFieldsThatOnlyLookAlikeStayAllowed() {
            for (String name : List.of("Host", "Content-Type", "Content-Length-Hint", "X-Connection-Id", "TE2",
                    "X-Proxy-Id", "Via")) {
                assertThat(inbound("<set-header name=\"" + name + "\"><value>1</value></set-header>"))
                        .containsExactly(new SetHeader(name, ExistsAction.OVERRIDE, List.of("1")));
            }
        }

        @Test
        void invalidExistsActionIsRefused() {
            assertRefusedAtPolicy("inbound", "<set-header name=\"X\" exists-action=\"replace\" />", "set-header",
                    "attribute 'exists-action' must be override, skip, append or delete, not 'replace'");
        }

        @Test
        void deleteWithValuesIsRefused() {
            assertRefusedAtPolicy("inbound", "<set-header name=\"X\" exists-action=\"delete\"><value>v</value></set-header>",
                    "set-header", "exists-action 'delete' takes no <value> elements");
        }

        @Test
        void onlyValueChildrenHoldingOnlyText() {
            PolicyException e = failure(in("inbound", "<set-header name=\"X\">\n  <val>1</val>\n</set-header>"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(3);
            assertThat(e.element()).isEqualTo("val");
            assertThat(e.reason()).isEqualTo("<val> is not allowed inside <set-header>; only <value> is");

            assertThat(failure(in("inbound", "<set-header name=\"X\"><value lang=\"en\">1</value></set-header>"))
                    .reason()).isEqualTo("unknown attribute 'lang'; <value> takes no attributes");
            assertThat(failure(in("inbound", "<set-header name=\"X\"><value>1<b/></value></set-header>"))
                    .reason()).isEqualTo("<b> is not allowed inside <value>; it holds text only");
            assertThat(failure(in("inbound", "<set-header name=\"X\">text<value>1</value></set-header>"))
                    .reason()).contains("text is not allowed in <set-header>");
        }

        @Test
        void valueWithALineBreakInsideIsRefusedAtTheValue() {
            PolicyException e = failure(in("inbound", "<set-header name=\"X\">\n  <value>one\ntwo</value></set-header>"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.column()).isEqualTo(3);
            assertThat(e.element()).isEqualTo("value");
            assertThat(e.reason()).contains("header value: control characters such as line breaks are not allowed");
        }
    }

    @Nested
    class RewriteUriPolicy {
        @Test
        void copiesUnmatchedParamsByDefault() {
            assertThat(inbound("<rewrite-uri template=\"/v2/orders/{id}?expand=true\" />"))
                    .containsExactly(new RewriteUri("/v2/orders/{id}?expand=true", true));
            assertThat(inbound("<rewrite-uri template=\"/x\" copy-unmatched-params=\"false\" />"))
                    .containsExactly(new RewriteUri("/x", false));
            assertThat(inbound("<rewrite-uri template=\"/x\" copy-unmatched-params=\"true\" />"))
                    .containsExactly(new RewriteUri("/x", true));
        }

        @Test
        void templateIsRequiredAndNotEmpty() {
            assertRefusedAtPolicy("inbound", "<rewrite-uri />", "rewrite-uri", "attribute 'template' is required");
            assertRefusedAtPolicy("inbound", "<rewrite-uri template=\"  \" />", "rewrite-uri",
                    "attribute 'template' must not be empty");
        }

        @Test
        void invalidBooleanIsRefused() {
            assertRefusedAtPolicy("inbound", "<rewrite-uri template=\"/x\" copy-unmatched-params=\"yes\" />",
                    "rewrite-uri", "attribute 'copy-unmatched-params' must be true or false, not 'yes'");
        }

        @Test
        void onlyAllowedInInbound() {
            assertRefusedAtPolicy("outbound", "<rewrite-uri template=\"/x\" />", "rewrite-uri",
                    "<rewrite-uri> is not allowed in <outbound>; allowed in: inbound");
        }
    }

    @Nested
    class ForwardRequestPolicy {
        @Test
        void defaultsAndExplicitValues() {
            assertThat(parse(in("backend", "<forward-request />")).backend()).containsExactly(ForwardRequest.DEFAULT);
            assertThat(parse(in("backend", "<forward-request timeout=\"30\" follow-redirects=\"true\" />")).backend())
                    .containsExactly(new ForwardRequest(30, true));
            assertThat(parse(in("backend", "<forward-request follow-redirects=\"false\" timeout=\"007\" />"))
                    .backend()).containsExactly(new ForwardRequest(7, false));
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "-5", "abc", "1.5", "", "99999999999", "+5", "30s"})
        void timeoutMustBeAPositiveWholeNumber(String timeout) {
            assertRefusedAtPolicy("backend", "<forward-request timeout=\"" + timeout + "\" />", "forward-request",
                    "attribute 'timeout' must be a whole number of seconds greater than 0");
        }

        @Test
        void invalidFollowRedirectsIsRefused() {
            assertRefusedAtPolicy("backend", "<forward-request follow-redirects=\"1\" />", "forward-request",
                    "attribute 'follow-redirects' must be true or false, not '1'");
        }

        @Test
        void unknownAttributeIsRefused() {
            assertRefusedAtPolicy("backend", "<forward-request buffer-request-body=\"true\" />", "forward-request",
                    "unknown attribute 'buffer-request-body'; allowed: timeout, follow-redirects");
        }

        @Test
        void onlyAllowedInBackendAndOnlyOnce() {
            assertRefusedAtPolicy("inbound", "<forward-request />", "forward-request",
                    "<forward-request> is not allowed in <inbound>; allowed in: backend");
            PolicyException e = failure(in("backend", "<forward-request />\n<forward-request timeout=\"5\" />"));
            assertThat(e.line()).isEqualTo(4);
            assertThat(e.reason()).isEqualTo("<forward-request> may appear only once in <backend>");
        }
    }

    @Nested
    class BasePolicy {
        @Test
        void allowedInEverySectionAtAnyPosition() {
            PolicyDocument document = parse("""
                    <policies>
                        <inbound><set-header name="A" /><base /><set-header name="B" /></inbound>
                        <backend><base /></backend>
                        <outbound><set-header name="A" /><base /></outbound>
                        <on-error><base /></on-error>
                    </policies>""");
            assertThat(document.inbound()).containsExactly(new SetHeader("A", null, null), Base.INSTANCE,
                    new SetHeader("B", null, null));
            assertThat(document.backend()).containsExactly(Base.INSTANCE);
            assertThat(document.outbound()).containsExactly(new SetHeader("A", null, null), Base.INSTANCE);
            assertThat(document.onError()).containsExactly(Base.INSTANCE);
        }

        @Test
        void attributesChildrenAndRepetitionAreRefused() {
            assertRefusedAtPolicy("inbound", "<base inherit=\"true\" />", "base",
                    "unknown attribute 'inherit'; <base> takes no attributes");
            PolicyException child = failure(in("inbound", "<base><set-header name=\"X\" /></base>"));
            assertThat(child.column()).isEqualTo(15);
            assertThat(child.element()).isEqualTo("set-header");
            assertThat(child.reason()).isEqualTo("<set-header> is not allowed inside <base>; it takes no child elements");
            PolicyException e = failure(in("outbound", "<base />\n        <set-header name=\"X\" />\n<base />"));
            assertThat(e.line()).isEqualTo(5);
            assertThat(e.column()).isEqualTo(1);
            assertThat(e.reason()).isEqualTo("<base> may appear only once in <outbound>");
        }
    }

    @Nested
    class LiteralsOnly {
        static Stream<Arguments> expressionsAnywhere() {
            return Stream.of(
                    Arguments.of("inbound", "<authentication-certificate thumbprint=\"@(context.Variables[&quot;t&quot;])\" />",
                            "authentication-certificate", "attribute 'thumbprint'"),
                    Arguments.of("inbound", "<authentication-certificate certificate-id=\"  @{ return &quot;c1&quot;; }\" />",
                            "authentication-certificate", "attribute 'certificate-id'"),
                    Arguments.of("inbound", "<set-backend-service base-url=\"@(context.Api.ServiceUrl)\" />",
                            "set-backend-service", "attribute 'base-url'"),
                    Arguments.of("inbound", "<set-header name=\"@(&quot;X&quot;)\" />", "set-header", "attribute 'name'"),
                    Arguments.of("inbound", "<set-header name=\"X\" exists-action=\"@(&quot;skip&quot;)\" />",
                            "set-header", "attribute 'exists-action'"),
                    Arguments.of("inbound", "<rewrite-uri template=\"@(context.Request.Url.Path)\" />", "rewrite-uri",
                            "attribute 'template'"),
                    Arguments.of("backend", "<forward-request timeout=\"@(30)\" />", "forward-request",
                            "attribute 'timeout'"),
                    Arguments.of("backend", "<forward-request follow-redirects=\"@{return true;}\" />", "forward-request",
                            "attribute 'follow-redirects'"));
        }

        @ParameterizedTest
        @MethodSource("expressionsAnywhere")
        void policyExpressionsAreReportedWhereTheyStart(String section, String policy, String element,
                                                        String attribute) {
            PolicyException e = failure(in(section, policy));
            int column = 9 + policy.indexOf('@');
            assertThat(e.element()).isEqualTo(element);
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).as(attribute).isEqualTo(column);
            assertThat(e.reason()).isEqualTo("policy expression (line 3, column " + column + "): not supported");
        }

        @Test
        void policyExpressionInAValueIsRefused() {
            PolicyException e = failure(in("inbound", "<set-header name=\"X\"><value>\n  @(context.User.Email)</value></set-header>"));
            assertThat(e.element()).isEqualTo("value");
            assertThat(e.reason()).isEqualTo("policy expression (line 4, column 3): not supported");
        }

        @Test
        void anAtSignElsewhereIsALiteral() {
            assertThat(inbound("<set-header name=\"From\"><value>ops@example.com</value><value>@ x</value></set-header>"))
                    .containsExactly(new SetHeader("From", null, List.of("ops@example.com", "@ x")));
        }

        @Test
        void aNamedValueThatIsNotDefinedIsReportedWhereItsReferenceStands() {
            PolicyException e = failure(in("inbound", "<authentication-certificate certificate-id=\"{{client-cert}}\" />"));
            assertThat(e.line()).isEqualTo(3);
            assertThat(e.column()).isEqualTo(9 + "<authentication-certificate certificate-id=\"".length());
            assertThat(e.reason()).isEqualTo("named value 'client-cert' is not defined: no named value in config/named"
                    + " values has displayName 'client-cert'");
            assertThat(failure(in("inbound", "<set-header name=\"X\"><value>Bearer {{token}}</value></set-header>"))
                    .reason()).contains("named value 'token' is not defined");
        }

        @Test
        void templateParametersInSingleBracesAreLiterals() {
            assertThat(inbound("<rewrite-uri template=\"/orders/{id}/{line}\" />"))
                    .containsExactly(new RewriteUri("/orders/{id}/{line}", true));
        }
    }
}
