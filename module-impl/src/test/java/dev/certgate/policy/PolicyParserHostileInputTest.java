package dev.certgate.policy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/** Hostile XML is refused quickly, with a clear message, and nothing outside the document is read. */
class PolicyParserHostileInputTest {
    private static final Duration WELL_UNDER_A_SECOND = Duration.ofSeconds(5);

    private static PolicyException refused(String xml) {
        return assertTimeoutPreemptively(WELL_UNDER_A_SECOND,
                () -> assertThrows(PolicyException.class, () -> PolicyParser.parse(xml, "policy.xml")));
    }

    private static void assertNoPasswdContent(PolicyException e) throws IOException {
        assertThat(e.getMessage()).doesNotContain("root:", "/bin/", "nologin");
        Path passwd = Path.of("/etc/passwd");
        if (Files.isReadable(passwd)) {
            for (String line : Files.readAllLines(passwd)) {
                if (line.length() > 8) {
                    assertThat(e.getMessage()).doesNotContain(line);
                }
            }
        }
    }

    @Test
    void externalEntityReadingAFileIsRefusedAtTheDoctype() throws IOException {
        PolicyException e = refused("""
                <?xml version="1.0"?>
                <!DOCTYPE policies [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <policies><inbound><set-header name="X"><value>&xxe;</value></set-header></inbound></policies>""");
        assertThat(e.reason()).startsWith("DOCTYPE is not allowed");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.column()).isEqualTo(1);
        assertThat(e.element()).isNull();
        assertNoPasswdContent(e);
    }

    @Test
    void externalEntityInAnAttributeIsRefused() throws IOException {
        PolicyException e = refused("<!DOCTYPE p [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<policies><inbound><set-header name=\"&xxe;\" /></inbound></policies>");
        assertThat(e.reason()).startsWith("DOCTYPE is not allowed");
        assertNoPasswdContent(e);
    }

    @Test
    void undeclaredEntityWithoutDoctypeIsRefused() throws IOException {
        PolicyException e = refused("<policies><inbound><set-header name=\"X\"><value>&xxe;</value></set-header>"
                + "</inbound></policies>");
        assertThat(e.reason()).contains("entity reference &xxe; is not allowed");
        assertNoPasswdContent(e);
    }

    @Test
    void externalDtdAndParameterEntitiesAreNeverFetched() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            String url = "http://127.0.0.1:" + listener.getLocalPort() + "/evil.dtd";
            PolicyException external = refused("<!DOCTYPE policies SYSTEM \"" + url + "\"><policies/>");
            assertThat(external.reason()).startsWith("DOCTYPE is not allowed");
            PolicyException parameter = refused("<!DOCTYPE policies [<!ENTITY % remote SYSTEM \"" + url + "\"> %remote;]>"
                    + "<policies/>");
            assertThat(parameter.reason()).startsWith("DOCTYPE is not allowed");

            // Parsing is synchronous: had it connected, the connection would be waiting here already.
            listener.setSoTimeout(300);
            assertThrows(SocketTimeoutException.class, () -> {
                try (Socket ignored = listener.accept()) {
                    // a connection means the parser reached out: the assertion fails
                }
            });
        }
    }

    @Test
    void billionLaughsIsRefusedWithoutExpansion() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol \"lol\">\n");
        xml.append("<!ENTITY lol1 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">\n");
        for (int i = 2; i <= 9; i++) {
            xml.append("<!ENTITY lol").append(i).append(" \"")
                    .append(("&lol" + (i - 1) + ";").repeat(10)).append("\">\n");
        }
        xml.append("]>\n<policies><inbound><set-header name=\"X\"><value>&lol9;</value></set-header></inbound></policies>");
        PolicyException e = refused(xml.toString());
        assertThat(e.reason()).startsWith("DOCTYPE is not allowed");
        assertThat(e.getMessage()).doesNotContain("lollol").hasSizeLessThan(300);
    }

    @Test
    void tenMegabyteDocumentIsRefusedBeforeParsing() {
        String huge = "<policies><!--" + "x".repeat(10 * 1024 * 1024) + "--></policies>";
        PolicyException e = refused(huge);
        assertThat(e.reason()).isEqualTo("the document is larger than the limit of 256 KiB (262144 bytes)");
        assertThat(e.element()).isNull();
    }

    @Test
    void sizeLimitCountsUtf8BytesNotCharacters() {
        String fits = "<policies><!--" + "x".repeat(PolicyParser.MAX_BYTES - 28) + "--></policies>";
        assertThat(fits.length()).isEqualTo(PolicyParser.MAX_BYTES);
        assertThat(PolicyParser.parse(fits, "policy.xml").inbound()).hasSize(1);
        assertThat(refused(fits + " ").reason()).contains("256 KiB");

        String wide = "<policies><!--" + "é".repeat(PolicyParser.MAX_BYTES / 2) + "--></policies>";
        assertThat(wide.length()).isLessThan(PolicyParser.MAX_BYTES);
        assertThat(refused(wide).reason()).contains("256 KiB");
    }

    @Test
    void tenThousandNestedElementsAreRefusedAtTheDepthLimit() {
        String deep = "<policies>" + "<inbound>".repeat(10_000) + "</inbound>".repeat(10_000) + "</policies>";
        PolicyException e = refused(deep);
        assertThat(e.reason()).isEqualTo("elements are nested more than 32 levels deep");
        assertThat(e.element()).isEqualTo("inbound");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(11 + 31 * "<inbound>".length());
    }

    @Test
    void tenThousandNestedUnclosedElementsAreRefusedToo() {
        PolicyException e = refused("<a>".repeat(10_000));
        assertThat(e.reason()).contains("nested more than 32 levels");
    }

    @Test
    void manyAttributesOrHugeValuesWithinTheLimitAreHandledQuickly() {
        StringBuilder attributes = new StringBuilder();
        for (int i = 0; i < 10_000; i++) {
            attributes.append(" a").append(i).append("=\"x\"");
        }
        PolicyException e = refused("<policies><inbound><base" + attributes + "/></inbound></policies>");
        assertThat(e.reason()).contains("unknown attributes 'a0', 'a1'").contains("'a9' and 9990 more")
                .hasSizeLessThan(400);

        PolicyException longValue = refused("<policies><inbound><set-header name=\"X\" exists-action=\""
                + "y".repeat(200_000) + "\"/></inbound></policies>");
        assertThat(longValue.getMessage()).hasSizeLessThan(400);
    }
}
