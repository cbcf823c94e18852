package dev.certgate.config;

import dev.certgate.api.model.NamedValueProperties;
import dev.certgate.policy.PolicyContext;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Reads {@code config/named values/<id>/namedValueInformation.json} (APIM's NamedValueContract, as the APIOps
 * extractor writes it) into the named values policies and backends refer to by display name. A plain value is in
 * the file; a secret's, or a Key Vault one's, is under {@code secrets/namedValues/<id>.sealed} once set through the
 * admin API. One that has no value yet "needs a value": a warning on its file that says how to set one, and an
 * error wherever it is used, so nothing that uses it is served with a literal {@code {{name}}}.
 */
final class NamedValuesLoader {

    private final HomeLayout layout;
    private final HomeView view;
    private final NamedValueSecrets secrets;
    private final List<ConfigError> errors;
    private final List<ConfigWarning> warnings;

    NamedValuesLoader(HomeLayout layout, HomeView view, NamedValueSecrets secrets, List<ConfigError> errors,
                      List<ConfigWarning> warnings) {
        this.layout = layout;
        this.view = view;
        this.secrets = secrets;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Adds every named value of the home to {@code context}. */
    void load(PolicyContext.Builder context) {
        Map<String, String> idsByName = new HashMap<>();
        IdFolders.of(layout, view, layout.namedValuesDir(), "named value", errors).forEach((id, folder) -> {
            Path file = folder.resolve(HomeLayout.NAMED_VALUE_INFORMATION);
            String source = layout.relative(file);
            Optional<byte[]> bytes = read(file);
            if (bytes.isEmpty()) {
                errors.add(ConfigError.of(layout.relative(folder), "missing " + HomeLayout.NAMED_VALUE_INFORMATION));
                return;
            }
            NamedValueProperties properties = InformationFiles.read(bytes.get(), NamedValueProperties.class, source,
                    errors, warnings);
            if (properties == null) {
                return;
            }
            String name = properties.displayName() == null ? id : properties.displayName();
            String other = idsByName.putIfAbsent(name.toLowerCase(Locale.ROOT), id);
            if (other != null) {
                errors.add(ConfigError.of(source, "displayName \"" + name + "\" is already the display name of named"
                        + " value \"" + other + "\" (policies refer to named values by display name, in any case)"));
                return;
            }
            add(context, id, name, properties, source);
        });
    }

    private void add(PolicyContext.Builder context, String id, String name, NamedValueProperties properties,
                     String source) {
        String value = properties.secretValue() ? secretValue(id, properties, source) : properties.value();
        if (value == null) {
            String reason = properties.secretValue() ? needsAValue(id, name, properties)
                    : "has no value: set properties.value in " + source;
            context.unavailable(name, reason);
            warnings.add(new ConfigWarning(ConfigWarning.NEEDS_VALUE, source, null, null,
                    "named value \"" + name + "\" " + reason + "; the APIs that use it are not served until then"));
        } else if (value.contains("{{")) {
            // APIM leaves such a reference as it is, and a literal {{...}} must never reach a back end.
            String reason = "has a value that contains {{...}}: a named value cannot refer to another; put the"
                    + " value itself in";
            context.unavailable(name, reason);
            warnings.add(new ConfigWarning(ConfigWarning.NEEDS_VALUE, source, null, null,
                    "named value \"" + name + "\" " + reason));
        } else {
            context.value(name, value, properties.secretValue());
        }
    }

    /** The sealed value; else a value written into the file by hand (warned about); else null. */
    private String secretValue(String id, NamedValueProperties properties, String source) {
        Path sealedFile = layout.namedValueSecret(id);
        Optional<byte[]> sealed = read(sealedFile);
        if (sealed.isPresent()) {
            try {
                return secrets.open(id, sealed.get());
            } catch (GeneralSecurityException e) {
                warnings.add(new ConfigWarning(ConfigWarning.NEEDS_VALUE, layout.relative(sealedFile), null, null,
                        "the stored value of named value \"" + id + "\" cannot be decrypted with this master key (was"
                                + " it stored under another one?): set it again with PUT /admin/namedValues/" + id));
                return null;
            }
        }
        if (properties.value() != null) {
            warnings.add(new ConfigWarning(ConfigWarning.NEEDS_VALUE, source, null, null, "the value of secret named"
                    + " value \"" + id + "\" is written in config/, which holds no secrets: set it with PUT"
                    + " /admin/namedValues/" + id + " (it is then kept encrypted under secrets/) and remove it from"
                    + " the file"));
            return properties.value();
        }
        return null;
    }

    /** "needs a value: …" with where the value is kept in APIM and the call that sets one here. */
    static String needsAValue(String id, String name, NamedValueProperties properties) {
        Object identifier = properties.keyVault() == null ? null : properties.keyVault().get("secretIdentifier");
        String where = properties.keyVault() != null
                ? "it is kept in Azure Key Vault" + (identifier == null ? "" : " (" + identifier + ")")
                        + ", which Certgate does not read"
                : "it is a secret, and the extractor does not export secrets";
        return "needs a value: " + where + "; set one with: curl -u admin -X PUT -H 'Content-Type: application/json'"
                + " --data '{\"properties\": {\"displayName\": \"" + name + "\", \"secret\": true, \"value\": \"...\"}}'"
                + " <gateway>/admin/namedValues/" + id;
    }

    private Optional<byte[]> read(Path file) {
        return view.read(file, layout, errors);
    }
}
