package dev.certgate.policy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.PolicyDocument;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PolicyWriterTest {
    private static final String THUMBPRINT = "0123456789ABCDEF0123456789ABCDEF01234567";

    private static PolicyDocument document(List<Policy> inbound, List<Policy> backend, List<Policy> outbound,
                                           List<Policy> onError) {
        return new PolicyDocument(inbound, backend, outbound, onError);
    }

    private static PolicyDocument inboundOnly(Policy... inbound) {
        return document(List.of(inbound), List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE));
    }

    @Test
    void writesApimLayoutWithAllFourSectionsAndDefaultsLeftOut() {
        PolicyDocument document = document(
                List.of(Base.INSTANCE, AuthenticationCertificate.byThumbprint(THUMBPRINT),
                        AuthenticationCertificate.byId("client-1"),
                        new SetBackendService("https://orders.internal/v2?a=1&b=2", null),
                        new SetBackendService(null, "orders"),
                        new RewriteUri("/v2/{id}", true), new RewriteUri("/x", false),
                        new SetHeader("X-Multi", ExistsAction.APPEND, List.of("a", "<b> & \"c\" 'd'")),
                        new SetHeader("X-Gone", ExistsAction.DELETE, List.of()),
                        new SetHeader("X-Empty", ExistsAction.SKIP, List.of(""))),
                List.of(new ForwardRequest(30, true)),
                List.of(),
                List.of(Base.INSTANCE, new SetHeader("X-Error", ExistsAction.OVERRIDE, List.of("1"))));
        assertThat(PolicyWriter.write(document)).isEqualTo("""
                <policies>
                    <inbound>
                        <base />
                        <authentication-certificate thumbprint="0123456789ABCDEF0123456789ABCDEF01234567" />
                        <authentication-certificate certificate-id="client-1" />
                        <set-backend-service base-url="https://orders.internal/v2?a=1&amp;b=2" />
                        <set-backend-service backend-id="orders" />
                        <rewrite-uri template="/v2/{id}" />
                        <rewrite-uri template="/x" copy-unmatched-params="false" />
                        <set-header name="X-Multi" exists-action="append">
                            <value>a</value>
                            <value>&lt;b&gt; &amp; &quot;c&quot; 'd'</value>
                        </set-header>
                        <set-header name="X-Gone" exists-action="delete" />
                        <set-header name="X-Empty" exists-action="skip">
                            <value></value>
                        </set-header>
                    </inbound>
                    <backend>
                        <forward-request timeout="30" follow-redirects="true" />
                    </backend>
                    <outbound />
                    <on-error>
                        <base />
                        <set-header name="X-Error">
                            <value>1</value>
                        </set-header>
                    </on-error>
                </policies>
                """);
        assertThat(PolicyParser.parse(PolicyWriter.write(document), "written")).isEqualTo(document);
    }

    @Test
    void inheritIsWrittenAsBaseInEverySection() {
        assertThat(PolicyWriter.write(PolicyDocument.INHERIT)).isEqualTo("""
                <policies>
                    <inbound>
                        <base />
                    </inbound>
                    <backend>
                        <base />
                    </backend>
                    <outbound>
                        <base />
                    </outbound>
                    <on-error>
                        <base />
                    </on-error>
                </policies>
                """);
        assertThat(PolicyWriter.write(PolicyComposer.BUILT_IN_DEFAULT)).contains("<forward-request />");
    }

    @Test
    void parsedApimDocumentIsWrittenInCanonicalForm() {
        String apim = """
                <policies>
                  <inbound><base/>  <authentication-certificate thumbprint="01:23:45:67:89:ab:cd:ef:01:23:45:67:89:ab:cd:ef:01:23:45:67"/>
                  <set-header name="X-Trace" exists-action="override"><value>  on  </value></set-header></inbound>
                  <backend><forward-request timeout="300" follow-redirects="false"/></backend>
                </policies>""";
        String written = PolicyWriter.write(PolicyParser.parse(apim, "apim"));
        assertThat(written).contains("<authentication-certificate thumbprint=\"" + THUMBPRINT + "\" />",
                "<set-header name=\"X-Trace\">\n            <value>on</value>", "<forward-request />",
                "<outbound>\n        <base />\n    </outbound>");
        assertThat(PolicyWriter.write(PolicyParser.parse(written, "again"))).isEqualTo(written);
    }

    @Test
    void documentsThatWouldNotReadBackTheSameAreRefused() {
        assertRefused(inboundOnly(AuthenticationCertificate.byThumbprint(THUMBPRINT.toLowerCase())),
                "<authentication-certificate> in <inbound>", "would read back as");
        assertRefused(inboundOnly(AuthenticationCertificate.byThumbprint("not-a-thumbprint")),
                "attribute 'thumbprint'", "is not a SHA-1 thumbprint");
        assertRefused(inboundOnly(new SetHeader("X", null, List.of(" padded"))), "would read back as");
        assertRefused(inboundOnly(new SetHeader("X", null, List.of("line\nbreak"))), "control characters");
        assertRefused(inboundOnly(new SetHeader("X", null, List.of("@(context.User)"))),
                "policy expressions are not supported");
        assertRefused(inboundOnly(new SetHeader("X", ExistsAction.DELETE, List.of("v"))), "takes no <value>");
        assertRefused(inboundOnly(new SetHeader(null, null, List.of())), "attribute 'name' is required");
        assertRefused(inboundOnly(new SetHeader("X", null, List.of("\uD800 lone surrogate"))),
                "cannot appear in an XML document");
        assertRefused(inboundOnly(AuthenticationCertificate.byId("{{named}}")), "named values are not supported");
        assertRefused(inboundOnly(new RewriteUri(null, true)), "attribute 'template' is required");
        assertRefused(inboundOnly(ForwardRequest.DEFAULT),
                "<forward-request> is not allowed in <inbound>; allowed in: backend");
        assertRefused(inboundOnly(Base.INSTANCE, Base.INSTANCE), "<base> may appear only once in <inbound>");
        assertRefused(document(List.of(), List.of(new ForwardRequest(0, false)), List.of(), List.of()),
                "attribute 'timeout' must be a whole number of seconds greater than 0");
    }

    private static void assertRefused(PolicyDocument document, String... messageParts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PolicyWriter.write(document));
        assertThat(e.getMessage()).contains(messageParts);
    }

    /** Property: for every document the writer accepts, parsing what it wrote gives the document back. */
    @Test
    void roundTripHoldsForGeneratedDocuments() {
        Random random = new Random(20240611L);
        StringBuilder everything = new StringBuilder();
        for (int i = 0; i < 1500; i++) {
            PolicyDocument document = new DocumentGenerator(random).document();
            String xml = PolicyWriter.write(document);
            assertThat(PolicyParser.parse(xml, "generated-" + i)).as("document %d:%n%s", i, xml).isEqualTo(document);
            everything.append(xml);
        }
        // The generator really reached every policy and every awkward character.
        assertThat(everything).contains("<base />", "<authentication-certificate thumbprint=",
                "<authentication-certificate certificate-id=", "<set-backend-service base-url=",
                "<set-backend-service backend-id=", "<rewrite-uri ", "copy-unmatched-params=\"false\"",
                "<forward-request ", "follow-redirects=\"true\"", "exists-action=\"delete\"", "<value></value>",
                "&lt;", "&gt;", "&amp;amp;", "&quot;", "'", "\t", "\uD83D\uDE00", "\u3000", "]]&gt;", "@ (");
    }

    /** Random documents within the rules: any policy its sections allow, values full of edge cases. */
    private static final class DocumentGenerator {
        /** XML specials, a tab, Unicode (incl. a surrogate pair), spaces XML does not trim, expression look-alikes. */
        private static final String[] PIECES = {"a", "Z", "0", "<", ">", "&", "\"", "'", "&amp;", "]]>", "<!--",
                " ", "  ", "\t", "é", "中", "\uD83D\uDE00", "\u00A0", "\u3000", "\u2028", "@", "(", "{", "}", "{x}",
                "@ (", "x@(", "/", "?", "=", ";", "\\", "%41", "--"};
        private static final String TOKEN = "!#$%&'*+.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-";
        private static final String ID_START = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        private static final String HOST = "abcdefghijklmnopqrstuvwxyz0123456789";
        private static final String HEX = "0123456789ABCDEF";

        private final Random random;

        DocumentGenerator(Random random) {
            this.random = random;
        }

        PolicyDocument document() {
            Map<Section, List<Policy>> sections = new EnumMap<>(Section.class);
            for (Section section : Section.values()) {
                sections.put(section, random.nextInt(5) == 0 ? List.of(Base.INSTANCE) : section(section));
            }
            return new PolicyDocument(sections.get(Section.INBOUND), sections.get(Section.BACKEND),
                    sections.get(Section.OUTBOUND), sections.get(Section.ON_ERROR));
        }

        private List<Policy> section(Section section) {
            List<Policy> policies = new ArrayList<>();
            int count = random.nextInt(6);
            for (int i = 0; i < count; i++) {
                switch (section) {
                    case INBOUND -> policies.add(inboundPolicy());
                    case BACKEND -> {
                        if (i == 0) {
                            policies.add(new ForwardRequest(1 + random.nextInt(100_000), random.nextBoolean()));
                        }
                    }
                    default -> policies.add(setHeader());
                }
            }
            if (random.nextBoolean()) {
                policies.add(random.nextInt(policies.size() + 1), Base.INSTANCE);
            }
            return policies;
        }

        private Policy inboundPolicy() {
            return switch (random.nextInt(6)) {
                case 0 -> AuthenticationCertificate.byThumbprint(thumbprint());
                case 1 -> AuthenticationCertificate.byId(id());
                case 2 -> new SetBackendService("http" + (random.nextBoolean() ? "s" : "") + "://"
                        + pick(HOST, 1 + random.nextInt(20)) + ".example:" + (1 + random.nextInt(65535))
                        + "/p?a=" + id() + "&b='x'", null);
                case 3 -> new SetBackendService(null, id());
                case 4 -> new RewriteUri(nonEmptyText(), random.nextBoolean());
                default -> setHeader();
            };
        }

        private SetHeader setHeader() {
            ExistsAction action = ExistsAction.values()[random.nextInt(ExistsAction.values().length)];
            List<String> values = new ArrayList<>();
            if (action != ExistsAction.DELETE) {
                int count = random.nextInt(4);
                for (int i = 0; i < count; i++) {
                    values.add(random.nextInt(8) == 0 ? "" : headerValue());
                }
            }
            return new SetHeader(pick(TOKEN, 1 + random.nextInt(20)), action, values);
        }

        private String thumbprint() {
            return pick(HEX, 40);
        }

        private String id() {
            return pick(ID_START, 1) + pick(ID_START + "._-", random.nextInt(80));
        }

        private String headerValue() {
            String value;
            do {
                value = text();
            } while (!acceptable(value) || value.isEmpty());
            return value;
        }

        /** Attribute values: like header values, but XML would turn a literal tab into a space anyway. */
        private String nonEmptyText() {
            String value;
            do {
                value = text().replace('\t', ' ');
            } while (!acceptable(value) || value.isEmpty());
            return value;
        }

        private String text() {
            StringBuilder text = new StringBuilder();
            int pieces = 1 + random.nextInt(12);
            for (int i = 0; i < pieces; i++) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            return text.toString();
        }

        /** The model's rule for values, stated independently of the code under test. */
        private static boolean acceptable(String value) {
            boolean edgeWhitespace = !value.isEmpty() && (" \t".indexOf(value.charAt(0)) >= 0
                    || " \t".indexOf(value.charAt(value.length() - 1)) >= 0);
            return !edgeWhitespace && !value.startsWith("@(") && !value.startsWith("@{")
                    && !value.matches("(?s).*\\{\\{[^{}]*}}.*");
        }

        private String pick(String alphabet, int length) {
            StringBuilder picked = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                picked.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            return picked.toString();
        }
    }
}
