package dev.certgate.api.policy;

import java.util.List;

/** {@code <set-header name exists-action><value>literal</value>…</set-header>}. */
public record SetHeader(String name, ExistsAction existsAction, List<String> values) implements Policy {
    public SetHeader {
        existsAction = existsAction == null ? ExistsAction.OVERRIDE : existsAction;
        values = values == null ? List.of() : List.copyOf(values);
    }
}
