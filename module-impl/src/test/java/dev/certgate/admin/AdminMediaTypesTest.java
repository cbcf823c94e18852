package dev.certgate.admin;

import jakarta.ws.rs.core.MediaType;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AdminMediaTypesTest {
    @Test
    void jsonUnlessAnXmlTypeIsPreferred() {
        assertThat(AdminMediaTypes.preferredXml(List.of())).isNull();
        assertThat(AdminMediaTypes.preferredXml(List.of(MediaType.WILDCARD_TYPE))).isNull();
        assertThat(AdminMediaTypes.preferredXml(List.of(MediaType.APPLICATION_JSON_TYPE,
                MediaType.APPLICATION_XML_TYPE))).isNull();
        assertThat(AdminMediaTypes.preferredXml(List.of(AdminMediaTypes.POLICY_RAW_XML_TYPE)))
                .isEqualTo(AdminMediaTypes.POLICY_RAW_XML_TYPE);
        assertThat(AdminMediaTypes.preferredXml(List.of(MediaType.APPLICATION_XML_TYPE, MediaType.WILDCARD_TYPE)))
                .isEqualTo(MediaType.APPLICATION_XML_TYPE);
    }
}
