package dev.certgate.config;

import dev.certgate.policy.PolicyException;

/** A policy document's problem as a load error: its own file (a fragment's when it stands there), line, column. */
final class PolicyErrors {
    private PolicyErrors() {
    }

    static ConfigError of(PolicyException.Problem problem) {
        return new ConfigError(problem.source(), problem.line() > 0 ? problem.line() : null,
                problem.column() > 0 ? problem.column() : null, problem.positionedReason());
    }
}
