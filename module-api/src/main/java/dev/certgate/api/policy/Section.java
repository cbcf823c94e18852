package dev.certgate.api.policy;

/** The four sections of a policy document, in document order, with the policies each admits. */
public enum Section {
    INBOUND("inbound"), BACKEND("backend"), OUTBOUND("outbound"), ON_ERROR("on-error");

    private final String xmlName;

    Section(String xmlName) {
        this.xmlName = xmlName;
    }

    public String xmlName() {
        return xmlName;
    }
}
