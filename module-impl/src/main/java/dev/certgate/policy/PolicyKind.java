package dev.certgate.policy;

import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Base;
import dev.certgate.api.policy.Cors;
import dev.certgate.api.policy.ExistsAction;
import dev.certgate.api.policy.ForwardRequest;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.Section;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.certgate.api.policy.Section.BACKEND;
import static dev.certgate.api.policy.Section.INBOUND;
import static dev.certgate.api.policy.Section.ON_ERROR;
import static dev.certgate.api.policy.Section.OUTBOUND;

/**
 * The one table of the policies Certgate understands (CONTRACT §3): element name, the sections it
 * may appear in, its attributes, whether it takes {@code <value>} children and may repeat within a
 * section, and how it turns a {@link PolicyElement} into its model record.
 */
enum PolicyKind {
    BASE("base", EnumSet.allOf(Section.class), List.of(), false, true) {
        @Override
        Policy read(PolicyElement element) {
            return Base.INSTANCE;
        }
    },

    AUTHENTICATION_CERTIFICATE("authentication-certificate", EnumSet.of(INBOUND),
            List.of("thumbprint", "certificate-id"), false, false) {
        @Override
        Policy read(PolicyElement element) {
            String thumbprint = element.optional("thumbprint");
            String certificateId = element.optional("certificate-id");
            if (thumbprint != null && certificateId != null) {
                throw new RuleViolation("use either attribute 'thumbprint' or attribute 'certificate-id', not both");
            }
            if (thumbprint != null) {
                return AuthenticationCertificate.byThumbprint(PolicyValues.thumbprint("thumbprint", thumbprint));
            }
            if (certificateId != null) {
                return AuthenticationCertificate.byId(PolicyValues.id("certificate-id", certificateId));
            }
            throw new RuleViolation("one of the attributes 'thumbprint' or 'certificate-id' is required");
        }


        @Override
        Optional<String> refusal(String attribute) {
            // APIM's inline form would put key material into config/, which must hold no secrets.
            return attribute.equals("body") || attribute.equals("password")
                    ? Optional.of("body/password are not supported: upload the certificate and reference it by"
                            + " thumbprint or certificate-id")
                    : Optional.empty();
        }
    },

    SET_BACKEND_SERVICE("set-backend-service", EnumSet.of(INBOUND),
            List.of("base-url", "backend-id", "id"), false, false) {
        @Override
        Policy read(PolicyElement element) {
            String baseUrl = element.optional("base-url");
            String backendId = element.optional("backend-id");
            String alias = element.optional("id"); // APIM takes id= for backend-id= (older exports write it)
            if (backendId != null && alias != null) {
                throw new RuleViolation("use either attribute 'backend-id' or its alias 'id', not both");
            }
            backendId = backendId != null ? backendId : alias;
            if (baseUrl != null && backendId != null) {
                throw new RuleViolation("use either attribute 'base-url' or attribute 'backend-id', not both");
            }
            if (baseUrl != null) {
                return new SetBackendService(PolicyValues.httpUrl("base-url", baseUrl), null);
            }
            if (backendId != null) {
                return new SetBackendService(null, PolicyValues.id("backend-id", backendId));
            }
            throw new RuleViolation("one of the attributes 'base-url' or 'backend-id' is required");
        }
    },

    SET_HEADER("set-header", EnumSet.of(INBOUND, OUTBOUND, ON_ERROR),
            List.of("name", "exists-action"), true, false) {
        @Override
        Policy read(PolicyElement element) {
            String name = PolicyValues.headerName("name", element.required("name"));
            String action = element.optional("exists-action");
            ExistsAction existsAction = action == null
                    ? ExistsAction.OVERRIDE : PolicyValues.existsAction("exists-action", action);
            if (existsAction == ExistsAction.DELETE && !element.values().isEmpty()) {
                // APIM would ignore them; an ignored line in a security policy misleads its reader.
                throw new RuleViolation("exists-action 'delete' takes no <value> elements");
            }
            return new SetHeader(name, existsAction, element.values().stream().map(PolicyValues::headerValue).toList());
        }
    },

    REWRITE_URI("rewrite-uri", EnumSet.of(INBOUND),
            List.of("template", "copy-unmatched-params"), false, false) {
        @Override
        Policy read(PolicyElement element) {
            String template = PolicyValues.nonEmpty("template", element.required("template"));
            String copy = element.optional("copy-unmatched-params");
            return new RewriteUri(template, copy == null || PolicyValues.bool("copy-unmatched-params", copy));
        }
    },

    FORWARD_REQUEST("forward-request", EnumSet.of(BACKEND),
            List.of("timeout", "follow-redirects"), false, true) {
        @Override
        Policy read(PolicyElement element) {
            String timeout = element.optional("timeout");
            String follow = element.optional("follow-redirects");
            return new ForwardRequest(
                    timeout == null ? ForwardRequest.DEFAULT_TIMEOUT_SECONDS
                            : PolicyValues.positiveSeconds("timeout", timeout),
                    follow != null && PolicyValues.bool("follow-redirects", follow));
        }
    },

    CORS("cors", EnumSet.of(INBOUND), List.of("allow-credentials", "terminate-unmatched-request"), false, true) {
        @Override
        Policy read(PolicyElement element) {
            return CorsReader.read(element);
        }

        @Override
        boolean takesElements() {
            return true;
        }
    };

    private final String xmlName;
    private final Set<Section> sections;
    private final List<String> attributeNames;
    private final boolean takesValues;
    private final boolean oncePerSection;

    PolicyKind(String xmlName, Set<Section> sections, List<String> attributeNames,
               boolean takesValues, boolean oncePerSection) {
        this.xmlName = xmlName;
        this.sections = sections;
        this.attributeNames = attributeNames;
        this.takesValues = takesValues;
        this.oncePerSection = oncePerSection;
    }

    /** Builds the model record, or throws naming the attribute or value at fault. */
    abstract Policy read(PolicyElement element);

    /** A message for an attribute that is known but deliberately not supported. */
    Optional<String> refusal(String attribute) {
        return Optional.empty();
    }

    static Optional<PolicyKind> byXmlName(String xmlName) {
        return Arrays.stream(values()).filter(kind -> kind.xmlName.equals(xmlName)).findFirst();
    }

    /** The policies a document may hold, as an unknown one's message lists them: the kinds, and fragments. */
    static String xmlNames() {
        return Arrays.stream(values()).map(PolicyKind::xmlName).collect(Collectors.joining(", ")) + ", "
                + FragmentInliner.INCLUDE;
    }

    /** How many unknown attributes one problem names: a hostile element may carry thousands. */
    private static final int MAX_NAMED = 10;

    /**
     * Reads an element after checking its attribute names against this kind's; every attribute it does not take is
     * named in one problem, so one pass fixes them all.
     */
    Policy readChecked(PolicyElement element) {
        List<String> refused = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        for (String attribute : element.attributes().keySet()) {
            Optional<String> refusal = refusal(attribute);
            if (refusal.isPresent()) {
                refused.add(refusal.get());
            } else if (!attributeNames.contains(attribute)) {
                unknown.add("'" + attribute + "'");
            }
        }
        if (!unknown.isEmpty()) {
            int shown = Math.min(unknown.size(), MAX_NAMED);
            refused.add((unknown.size() == 1 ? "unknown attribute " : "unknown attributes ")
                    + String.join(", ", unknown.subList(0, shown))
                    + (unknown.size() > shown ? " and " + (unknown.size() - shown) + " more" : "") + "; "
                    + (attributeNames.isEmpty()
                    ? "<" + xmlName + "> takes no attributes" : "allowed: " + String.join(", ", attributeNames)));
        }
        if (!refused.isEmpty()) {
            throw new RuleViolation(String.join("; ", refused));
        }
        return read(element);
    }

    /** A section this policy may stand in. */
    Section anySection() {
        return sections.iterator().next();
    }

    /** Throws when this policy may not stand in the section, naming where it may. */
    void checkAllowedIn(Section section) {
        if (!sections.contains(section)) {
            throw new RuleViolation("<" + xmlName + "> is not allowed in <" + section.xmlName() + ">; allowed in: "
                    + sections.stream().map(Section::xmlName).collect(Collectors.joining(", ")));
        }
    }

    String xmlName() {
        return xmlName;
    }

    boolean takesValues() {
        return takesValues;
    }

    /** Whether its children are elements of its own ({@code <cors>}'s lists), read by the kind itself. */
    boolean takesElements() {
        return false;
    }

    boolean oncePerSection() {
        return oncePerSection;
    }

}
