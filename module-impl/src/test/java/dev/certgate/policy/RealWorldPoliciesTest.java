package dev.certgate.policy;

import dev.certgate.testsupport.RealWorld;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * APIM's own policy snippets and the APIOps sample's policies, read where they lie ({@code ../shared/realworld}):
 * APIM accepts every one of them, so none may be refused as not well-formed.
 */
class RealWorldPoliciesTest {
    private static List<Path> documents() {
        List<Path> documents = new ArrayList<>(RealWorld.snippets());
        documents.addAll(RealWorld.xmlFiles(RealWorld.sample()));
        return documents;
    }

    @Test
    void theSnippetsAndTheSampleAreAllThere() {
        assertThat(RealWorld.snippets()).hasSize(59);
        assertThat(RealWorld.xmlFiles(RealWorld.sample())).hasSize(11);
    }

    /**
     * One snippet is damaged upstream: some tool turned {@code ["latlong"]} into {@code ["latlong="""]} and split an
     * expression over attributes that do not exist, so its C# does not compile and APIM refuses it as well. Certgate
     * says which expression never ends; no document is refused as "not well-formed".
     */
    @Test
    void everyDocumentIsWellFormedTheWayApimReadsIt() {
        List<String> refused = new ArrayList<>();
        for (Path file : documents()) {
            try {
                XmlTreeReader.read(RealWorld.read(file), file.getFileName().toString());
            } catch (PolicyException e) {
                refused.add(e.getMessage());
            }
        }
        assertThat(refused).containsExactly("Call out to an HTTP endpoint and cache the response.policy.xml:40:28:"
                + " policy expression (line 40, column 28) does not end where its attribute or text does: its"
                + " parentheses or braces do not balance, or a string in it is not closed");
    }

    @Test
    void noPolicyDocumentIsRefusedForItsXml() {
        for (Path file : documents()) {
            String xml = RealWorld.read(file);
            if (!xml.contains("<policies")) {
                continue;
            }
            try {
                PolicyParser.parse(xml, file.getFileName().toString());
            } catch (PolicyException e) {
                assertThat(e.reason()).as(file.toString()).doesNotContain("well-formed");
            }
        }
    }

    @Test
    void everyFragmentReadsAsAFragment() {
        int fragments = 0;
        for (Path file : documents()) {
            String xml = RealWorld.read(file);
            if (xml.contains("<fragment>")) {
                PolicyFragment.read("f", xml, file.getFileName().toString());
                fragments++;
            }
        }
        assertThat(fragments).isEqualTo(7);
    }
}
