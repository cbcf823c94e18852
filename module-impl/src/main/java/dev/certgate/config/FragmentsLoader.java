package dev.certgate.config;

import dev.certgate.api.model.PolicyFragmentProperties;
import dev.certgate.policy.PolicyContext;
import dev.certgate.policy.PolicyException;
import dev.certgate.policy.PolicyFragment;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code config/policy fragments/<id>/policy.xml} (a {@code <fragment>} document) and, when present,
 * {@code policyFragmentInformation.json} (APIM's PolicyFragmentContract), as the APIOps extractor writes them. A
 * fragment that cannot be read is an error in its own file, and each inclusion of it one more.
 */
final class FragmentsLoader {

    private final HomeLayout layout;
    private final HomeView view;
    private final List<ConfigError> errors;
    private final List<ConfigWarning> warnings;

    FragmentsLoader(HomeLayout layout, HomeView view, List<ConfigError> errors, List<ConfigWarning> warnings) {
        this.layout = layout;
        this.view = view;
        this.errors = errors;
        this.warnings = warnings;
    }

    /** Adds every fragment of the home to {@code context}. */
    void load(PolicyContext.Builder context) {
        IdFolders.of(layout, view, layout.policyFragmentsDir(), "policy fragment", errors).forEach((id, folder) -> {
            Path information = folder.resolve(HomeLayout.POLICY_FRAGMENT_INFORMATION);
            read(information).ifPresent(bytes -> InformationFiles.read(bytes, PolicyFragmentProperties.class,
                    layout.relative(information), errors, warnings));
            Path file = folder.resolve(HomeLayout.POLICY);
            String source = layout.relative(file);
            Optional<byte[]> xml = read(file);
            if (xml.isEmpty()) {
                errors.add(ConfigError.of(layout.relative(folder), "missing " + HomeLayout.POLICY + ": the fragment's"
                        + " <fragment> document"));
                context.unreadableFragment(id, source);
                return;
            }
            try {
                context.fragment(PolicyFragment.read(id, Utf8Text.decode(xml.get(), source), source));
            } catch (Utf8Text.Invalid e) {
                errors.add(e.error());
                context.unreadableFragment(id, source);
            } catch (PolicyException e) {
                e.problems().forEach(problem -> errors.add(PolicyErrors.of(problem)));
                context.unreadableFragment(id, source);
            }
        });
    }

    private Optional<byte[]> read(Path file) {
        return view.read(file, layout, errors);
    }
}
