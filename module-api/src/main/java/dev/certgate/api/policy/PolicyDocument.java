package dev.certgate.api.policy;

import java.util.List;

/**
 * A {@code <policies>} document. A section that is missing in the file is stored as
 * {@code [Base]} (CONTRACT §3: missing means inherit), so {@link #INHERIT} is the document of a
 * scope without a policy file. A composed (effective) document contains no {@link Base}.
 */
public record PolicyDocument(List<Policy> inbound, List<Policy> backend, List<Policy> outbound,
                             List<Policy> onError) {
    public static final PolicyDocument INHERIT = new PolicyDocument(
            List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE), List.of(Base.INSTANCE));

    public PolicyDocument {
        inbound = List.copyOf(inbound);
        backend = List.copyOf(backend);
        outbound = List.copyOf(outbound);
        onError = List.copyOf(onError);
    }

    public List<Policy> section(Section section) {
        return switch (section) {
            case INBOUND -> inbound;
            case BACKEND -> backend;
            case OUTBOUND -> outbound;
            case ON_ERROR -> onError;
        };
    }
}
