package dev.certgate.proxy;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RequestPathTest {
    @Test
    void aPathWithoutDotSegmentsIsReturnedItselfNotACopy() {
        for (String path : new String[] {"/orders/42", "/files/report.pdf", "/a%20b/c", "/v1.2/x", "/...", "/a..b",
                "/.well-known/x", "/orders/42;v=1", "/", "", "//double//slash", "/a%2eb"}) {
            assertThat(RequestPath.normalise(path)).as(path).isSameAs(path);
        }
    }

    @Test
    void dotSegmentsAreRemovedAsRfc3986Says() {
        assertThat(RequestPath.normalise("/orders/../secret")).isEqualTo("/secret");
        assertThat(RequestPath.normalise("/orders/a/../b")).isEqualTo("/orders/b");
        assertThat(RequestPath.normalise("/orders/./b/.")).isEqualTo("/orders/b/");
        assertThat(RequestPath.normalise("/a/b/..")).isEqualTo("/a/");
        assertThat(RequestPath.normalise("/a/b/../")).isEqualTo("/a/");
        assertThat(RequestPath.normalise("/a/..")).isEqualTo("/");
        assertThat(RequestPath.normalise("/./a")).isEqualTo("/a");
        assertThat(RequestPath.normalise("/a/b/c/./../../g")).isEqualTo("/a/g");
        assertThat(RequestPath.normalise("/a//../b")).isEqualTo("/a/b");
        assertThat(RequestPath.normalise("/a/../b.txt")).isEqualTo("/b.txt");
    }

    @Test
    void escapesOfUnreservedCharactersAreDecodedSoAnEscapedLetterCannotMissItsApi() {
        assertThat(RequestPath.normalise("/%6Frders/orders/1")).isEqualTo("/orders/orders/1");
        assertThat(RequestPath.normalise("/noop%73/x%2Dy%5F%7e")).isEqualTo("/noops/x-y_~");
        assertThat(RequestPath.normalise("/a/../%6f%72ders")).isEqualTo("/orders");
        assertThat(RequestPath.normalise("/a%20b/%3B/%25/%C3%A9")).as("other escapes stay as written")
                .isEqualTo("/a%20b/%3B/%25/%C3%A9");
        assertThat(RequestPath.normalise("/x%2/%zz")).isEqualTo("/x%2/%zz");
    }

    @Test
    void climbingAboveTheRootIsRefusedNotDropped() {
        for (String path : new String[] {"/..", "/../x", "/orders/../../x", "/a/./../../b", "/a/b/../../.."}) {
            assertRefused(path, RequestPath.CLIMBS);
        }
    }

    @Test
    void encodedDotSegmentsAreRefusedInAnySpelling() {
        for (String path : new String[] {"/orders/%2e%2e/secret", "/orders/%2E%2E/secret", "/orders/.%2e/secret",
                "/orders/%2E./secret", "/orders/%2e/x", "/orders/%2e%2e", "/orders/x/%2E"}) {
            assertRefused(path, RequestPath.ENCODED_DOT);
        }
    }

    @Test
    void encodedSeparatorsInsideASegmentAreRefused() {
        for (String path : new String[] {"/orders/a%2fb", "/orders/..%2F..%2Fsecret", "/orders/a%5cb", "/x/%5C"}) {
            assertRefused(path, RequestPath.ENCODED_SEPARATOR);
        }
    }

    @Test
    void backslashesAreRefused() {
        assertRefused("/orders/..\\secret", RequestPath.BACKSLASH);
        assertRefused("/orders\\x", RequestPath.BACKSLASH);
    }

    @Test
    void dotSegmentsWithPathParametersAreRefused() {
        for (String path : new String[] {"/orders/..;/secret", "/orders/..;x=1/secret", "/orders/.;/x",
                "/orders/%2e%2e;/x"}) {
            assertThatThrownBy(() -> RequestPath.normalise(path)).as(path).isInstanceOf(RequestPath.Refused.class);
        }
        assertRefused("/orders/..;/secret", RequestPath.DOT_PARAMETER);
    }

    @Test
    void thePathBelowThePrefixIsTakenAfterNormalisingTheWholePath() {
        assertThat(RequestPath.below("/ctx/orders/42", "/ctx")).isEqualTo("/orders/42");
        assertThat(RequestPath.below("/ctx", "/ctx")).isEqualTo("/");
        assertThat(RequestPath.below("/ctx/", "/ctx")).isEqualTo("/");
        assertThat(RequestPath.below("/orders/42", "")).isEqualTo("/orders/42");
        assertThat(RequestPath.below("/ctx/orders/../secret", "/ctx")).isEqualTo("/secret");
        assertThat(RequestPath.below("/ctx/gw/a/../b", "/ctx/gw")).isEqualTo("/b");
        assertThat(RequestPath.below("/ctx/orders/../../ctx/x", "/ctx")).isEqualTo("/x");
        // Tomcat reports the context path as it appears in the request, dot segments included.
        assertThat(RequestPath.below("/x/../ctx/orders", "/x/../ctx")).isEqualTo("/orders");
    }

    @Test
    void aPathThatLeavesThePrefixIsRefused() {
        assertRefused(() -> RequestPath.below("/ctx/orders/../../x", "/ctx"), RequestPath.OUTSIDE);
        assertRefused(() -> RequestPath.below("/ctx/..", "/ctx"), RequestPath.OUTSIDE);
        assertRefused(() -> RequestPath.below("/ctxother/x", "/ctx"), RequestPath.OUTSIDE);
        assertRefused(() -> RequestPath.below("/ctx/gw/../x", "/ctx/gw"), RequestPath.OUTSIDE);
        assertRefused(() -> RequestPath.below("/ctx/../../x", "/ctx"), RequestPath.CLIMBS);
    }

    private static void assertRefused(String path, String message) {
        assertRefused(() -> RequestPath.normalise(path), message);
    }

    private static void assertRefused(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(RequestPath.Refused.class).hasMessage(message);
    }
}
