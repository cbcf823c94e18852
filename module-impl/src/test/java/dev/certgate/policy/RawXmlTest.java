package dev.certgate.policy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** APIM's raw XML: expressions may hold {@code "}, {@code <}, {@code >} and {@code &} unescaped. */
class RawXmlTest {
    private static final String SOURCE = "apis/orders/policy.xml";

    private static XmlNode read(String xml) {
        return XmlTreeReader.read(xml, SOURCE);
    }

    private static PolicyException refusal(String xml) {
        return assertThrows(PolicyException.class, () -> PolicyParser.parse(xml, SOURCE));
    }

    private static XmlNode inbound(XmlNode root) {
        return root.children().get(0);
    }

    @Test
    void anUnescapedAttributeExpressionIsReadAsWrittenAndReportedWhereItStarts() {
        String xml = """
                <policies>
                  <inbound>
                    <set-backend-service base-url="@(context.Request.Headers.GetValueOrDefault("X-Region", "") == "eu" && 1 < 2 ? "https://eu" : "https://us")" />
                  </inbound>
                </policies>
                """;
        XmlNode policy = inbound(read(xml)).children().get(0);
        assertThat(policy.attributes().get("base-url")).isEqualTo("@(context.Request.Headers.GetValueOrDefault("
                + "\"X-Region\", \"\") == \"eu\" && 1 < 2 ? \"https://eu\" : \"https://us\")");

        PolicyException e = refusal(xml);
        assertThat(e.reason()).isEqualTo("policy expression (line 3, column 36): not supported");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(36);
        assertThat(e.element()).isEqualTo("set-backend-service");
    }

    @Test
    void anUnescapedTextExpressionToo() {
        String xml = "<policies>\n<inbound>\n  <set-header name=\"X\">\n    <value>@(context.Variables.GetValueOrDefault"
                + "<string>(\"a\") + \"<b>&amp;\" + (1 > 0))</value>\n  </set-header>\n</inbound>\n</policies>";
        XmlNode value = inbound(read(xml)).children().get(0).children().get(0);
        assertThat(value.text()).isEqualTo("@(context.Variables.GetValueOrDefault<string>(\"a\") + \"<b>&\" + (1 > 0))");

        PolicyException e = refusal(xml);
        assertThat(e.getMessage()).isEqualTo(SOURCE + ":4:12: <value>: policy expression (line 4, column 12): "
                + "not supported");
    }

    @Test
    void positionsAfterAnEscapedExpressionStayThoseOfTheTextAsWritten() {
        // The expression on line 3 is escaped (the parsed line grows); the error after it must still say column 58.
        String xml = "<policies>\n<inbound>\n<x a=\"@(\"<&>\" + \"\\\"\" + '\"')\" b=\"1\" c=\"2\" d=\"3\" e=4 />\n"
                + "</inbound>\n</policies>";
        PolicyException e = refusal(xml);
        assertThat(e.reason()).startsWith("not well-formed XML");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(xml.split("\n")[2].indexOf("e=4") + 3);
    }

    @Test
    void aMultiLineBlockWithCommentsVerbatimAndInterpolatedStringsEndsAtItsBalancingBrace() {
        String xml = """
                <policies>
                  <inbound>
                    <set-variable name="v" value="@{
                        // a "quote" and a } in a comment
                        /* and ) ( } here */
                        var path = @"C:\\dir\\""quoted\""";
                        var c = '}';
                        var s = $"{context.Request.Headers.GetValueOrDefault("a", "{")} {{not a hole}} {(1 < 2 ? "<" : ">")}";
                        return s + path + c;
                    }" />
                    <set-header name="After" />
                  </inbound>
                </policies>
                """;
        XmlNode inbound = inbound(read(xml));
        assertThat(inbound.children()).extracting(XmlNode::name).containsExactly("set-variable", "set-header");
        String value = inbound.children().get(0).attributes().get("value");
        assertThat(value).startsWith("@{\n").endsWith("return s + path + c;\n    }")
                .contains("// a \"quote\" and a } in a comment").contains("{{not a hole}}");
        assertThat(inbound.children().get(1).position()).isEqualTo(new SourceText.Position(11, 5));
    }

    @Test
    void theEscapedFormOfADocumentReadsTheSame() {
        String raw = "<policies><inbound><x a=\"@(b == &quot;c&quot; &amp;&amp; d &lt; 1)\">@(e &amp;&amp; f)</x>"
                + "</inbound></policies>";
        XmlNode x = inbound(read(raw)).children().get(0);
        assertThat(x.attributes().get("a")).isEqualTo("@(b == \"c\" && d < 1)");
        assertThat(x.text()).isEqualTo("@(e && f)");
    }

    @Test
    void anApostropheQuotedAttributeAndAnEntityLookalikeInsideAnExpression() {
        XmlNode x = inbound(read("<policies><inbound><x a='@(\"it's\" + 'q' + \"&nbsp;\")'/></inbound></policies>"))
                .children().get(0);
        assertThat(x.attributes().get("a")).isEqualTo("@(\"it's\" + 'q' + \"&nbsp;\")");
    }

    @Test
    void anExpressionThatNeverBalancesIsReportedWhereItStarts() {
        PolicyException e = refusal("<policies>\n<inbound>\n<x a=\"@(b(\"c\")\" d=\"<\" />\n</inbound>\n</policies>");
        assertThat(e.reason()).isEqualTo("policy expression (line 3, column 7) does not end where its attribute or text"
                + " does: its parentheses or braces do not balance, or a string in it is not closed");
        assertThat(e.line()).isEqualTo(3);
        assertThat(e.column()).isEqualTo(7);
    }

    @Test
    void aCommentWithDoubleHyphensInsideIsJustAComment() {
        XmlNode root = read("<!-- one <!-- two -- three --->\n<policies><inbound/></policies>");
        assertThat(root.children()).extracting(XmlNode::name).containsExactly("inbound");
        assertThat(root.position()).isEqualTo(new SourceText.Position(2, 1));
    }

    @Test
    void expressionsDoNotOpenAWayAroundTheHostileInputRules() {
        PolicyException doctype = refusal("<!DOCTYPE policies [<!ENTITY x \"@(\">]><policies a=\"@(&x;)\"/>");
        assertThat(doctype.reason()).contains("DOCTYPE is not allowed");
        PolicyException entity = refusal("<policies><inbound><x a=\"1\">&x;</x></inbound></policies>");
        assertThat(entity.reason()).contains("entity reference &x; is not allowed");
    }

    @Test
    void aLiteralThatMerelyContainsAnAtSignIsNotAnExpression() {
        XmlNode x = inbound(read("<policies><inbound><x a=\"mail@(host)\">a @(b)</x></inbound></policies>"))
                .children().get(0);
        assertThat(Expressions.in(x)).isEmpty();
    }

    @Test
    void interpolationsNestedBeyondReasonEndTheScanInsteadOfTheStack() {
        String nested = "$\"{".repeat(20_000) + "1" + "}\"".repeat(20_000);
        PolicyException e = refusal("<policies><inbound><x a=\"@(" + nested + ")\" /></inbound></policies>");
        assertThat(e.reason()).startsWith("policy expression (line 1, column 26) does not end");
    }
}
