package dev.certgate.policy;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a policy document into {@link XmlNode}s with the JDK's StAX parser, after {@link RawPolicyText} has
 * escaped APIM's raw expressions (positions stay those of the text as written), and every hostile
 * feature off: no DTD (a DOCTYPE is refused outright), no external entities, no entity references
 * beyond XML's five predefined ones, no processing instructions, no namespaces, bounded depth.
 * The size bound is the caller's, checked before the text gets here.
 */
final class XmlTreeReader {
    static final int MAX_DEPTH = 32;

    private final SourceText text;
    private final String source;
    private final Deque<Builder> open = new ArrayDeque<>();
    private XmlNode root;
    /** Index just after the previous event: where the current one starts. */
    private int previousEnd;

    private XmlTreeReader(SourceText text, String source) {
        this.text = text;
        this.source = source;
    }

    /** The root element, or a {@link PolicyException} saying where and why the text is refused. */
    static XmlNode read(String xml, String source) {
        return new XmlTreeReader(new SourceText(xml), source).read();
    }

    private XmlNode read() {
        XMLStreamReader reader = null;
        try {
            reader = factory().createXMLStreamReader(new StringReader(text.content()));
            while (reader.hasNext()) {
                int event = reader.next();
                int end = text.indexOf(reader.getLocation(), previousEnd);
                handle(reader, event, end);
                previousEnd = end;
            }
            return root;
        } catch (XMLStreamException e) {
            SourceText.Position unended = text.unendedExpression();
            if (unended != null) {
                // The parser trips over what the expression holds; the expression is what the person must fix.
                throw new PolicyException(source, unended.line(), unended.column(), null, "policy expression (line "
                        + unended.line() + ", column " + unended.column() + ") does not end where its attribute or"
                        + " text does: its parentheses or braces do not balance, or a string in it is not closed");
            }
            // StAX counts in the parsed text; the position is mapped back to the text as written.
            SourceText.Position at = text.position(text.indexOf(e.getLocation(), previousEnd));
            throw new PolicyException(source, at.line(), at.column(), null, "not well-formed XML: " + reasonOf(e));
        } finally {
            close(reader);
        }
    }

    private void handle(XMLStreamReader reader, int event, int end) {
        switch (event) {
            case XMLStreamConstants.START_ELEMENT -> startElement(reader, end);
            case XMLStreamConstants.END_ELEMENT -> endElement();
            case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE -> {
                if (!open.isEmpty()) {
                    open.peek().text(reader.getText(), previousEnd);
                }
            }
            case XMLStreamConstants.DTD -> throw documentError(text.content().lastIndexOf("<!DOCTYPE", end),
                    "DOCTYPE is not allowed: policy documents take no DTD and no entity declarations");
            case XMLStreamConstants.ENTITY_REFERENCE -> throw documentError(previousEnd, "the entity reference &"
                    + reader.getLocalName() + "; is not allowed: only &amp; &lt; &gt; &quot; &apos; and character"
                    + " references such as &#65; may be used");
            case XMLStreamConstants.PROCESSING_INSTRUCTION -> throw documentError(previousEnd,
                    "processing instructions (<?...?>) are not allowed");
            default -> {
                // comments, start and end of document: nothing to keep
            }
        }
    }

    private void startElement(XMLStreamReader reader, int end) {
        int start = text.tagStart(end);
        String name = reader.getLocalName();
        SourceText.Position position = text.position(start);
        if (open.size() >= MAX_DEPTH) {
            throw error(position, name, "elements are nested more than " + MAX_DEPTH + " levels deep");
        }
        if (present(reader.getNamespaceURI()) || present(reader.getPrefix()) || reader.getNamespaceCount() > 0) {
            throw error(position, name, "XML namespaces are not supported in policy documents");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (int i = 0; i < reader.getAttributeCount(); i++) {
            if (present(reader.getAttributeNamespace(i)) || present(reader.getAttributePrefix(i))) {
                throw error(position, name, "attribute '" + reader.getAttributePrefix(i) + ":"
                        + reader.getAttributeLocalName(i) + "': XML namespaces are not supported in policy documents");
            }
            attributes.put(reader.getAttributeLocalName(i), reader.getAttributeValue(i));
        }
        open.push(new Builder(name, attributes, position, text.attributePositions(start)));
    }

    private void endElement() {
        XmlNode node = open.pop().build();
        if (open.isEmpty()) {
            root = node;
        } else {
            open.peek().children.add(node);
        }
    }

    private static boolean present(String namePart) {
        return namePart != null && !namePart.isEmpty();
    }

    private PolicyException documentError(int index, String reason) {
        return error(text.position(Math.max(0, index)), null, reason);
    }

    private PolicyException error(SourceText.Position at, String element, String reason) {
        return new PolicyException(source, at.line(), at.column(), element, reason);
    }

    /** The JDK prefixes "ParseError at [row,col]:[l,c]\nMessage: "; the position is reported separately. */
    private static String reasonOf(XMLStreamException e) {
        String message = String.valueOf(e.getMessage());
        int marker = message.indexOf("Message: ");
        return marker >= 0 ? message.substring(marker + "Message: ".length()).strip() : message.strip();
    }

    private XMLInputFactory factory() {
        // The JDK's own implementation, whatever else is on the class path, so these settings are known to hold.
        XMLInputFactory factory = XMLInputFactory.newDefaultFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        factory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
        factory.setProperty(XMLInputFactory.IS_NAMESPACE_AWARE, true);
        factory.setProperty(XMLInputFactory.IS_COALESCING, false);
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
        factory.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
        return factory;
    }

    private static void close(XMLStreamReader reader) {
        if (reader != null) {
            try {
                reader.close();
            } catch (XMLStreamException ignored) {
                // a reader over a string holds nothing that needs releasing
            }
        }
    }

    /** An element being read: its children and text arrive before its end tag. */
    private final class Builder {
        private final String name;
        private final Map<String, String> attributes;
        private final SourceText.Position position;
        private final Map<String, SourceText.Position> attributePositions;
        private final List<XmlNode> children = new ArrayList<>();
        private final StringBuilder content = new StringBuilder();
        private SourceText.Position textPosition;

        Builder(String name, Map<String, String> attributes, SourceText.Position position,
                Map<String, SourceText.Position> attributePositions) {
            this.name = name;
            this.attributes = attributes;
            this.position = position;
            this.attributePositions = attributePositions;
        }

        void text(String characters, int startIndex) {
            content.append(characters);
            if (textPosition == null && !PolicyValues.trimXmlWhitespace(characters).isEmpty()) {
                textPosition = text.position(text.skipWhitespace(startIndex));
            }
        }

        XmlNode build() {
            return new XmlNode(name, attributes, children, content.toString(), position, textPosition,
                    attributePositions, source);
        }
    }
}
