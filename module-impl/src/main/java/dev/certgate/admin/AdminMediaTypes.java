package dev.certgate.admin;

import jakarta.ws.rs.core.MediaType;

import java.util.List;

/** The media types of the admin API besides JSON: APIM's raw policy XML and plain XML. */
public final class AdminMediaTypes {
    public static final String POLICY_RAW_XML = "application/vnd.ms-azure-apim.policy.raw+xml";
    public static final MediaType POLICY_RAW_XML_TYPE = MediaType.valueOf(POLICY_RAW_XML);

    private AdminMediaTypes() {
    }

    /**
     * The XML type the caller asked for, or null when JSON should answer: the first acceptable type (they
     * come sorted by preference) that names JSON, a wildcard or one of the XML types decides.
     */
    static MediaType preferredXml(List<MediaType> acceptable) {
        for (MediaType type : acceptable) {
            if (type.isWildcardType() || type.isWildcardSubtype()
                    || MediaType.APPLICATION_JSON_TYPE.isCompatible(type)) {
                return null;
            }
            if (POLICY_RAW_XML_TYPE.isCompatible(type)) {
                return POLICY_RAW_XML_TYPE;
            }
            if (MediaType.APPLICATION_XML_TYPE.isCompatible(type)) {
                return MediaType.APPLICATION_XML_TYPE;
            }
        }
        return null;
    }
}
