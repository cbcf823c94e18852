package dev.certgate.config;

import dev.certgate.policy.PolicyContext;

import java.util.List;

/** What policy documents and backends may refer to, read from the home: the named values and policy fragments. */
final class PolicyInputs {
    private PolicyInputs() {
    }

    static PolicyContext load(HomeLayout layout, HomeView view, NamedValueSecrets secrets, List<ConfigError> errors,
                              List<ConfigWarning> warnings) {
        PolicyContext.Builder context = PolicyContext.builder();
        new NamedValuesLoader(layout, view, secrets, errors, warnings).load(context);
        new FragmentsLoader(layout, view, errors, warnings).load(context);
        return context.build();
    }
}
