package dev.certgate.api.policy;

/** {@code <set-backend-service>}: exactly one of {@code baseUrl} and {@code backendId} is non-null. */
public record SetBackendService(String baseUrl, String backendId) implements Policy {
    public SetBackendService {
        if ((baseUrl == null) == (backendId == null)) {
            throw new IllegalArgumentException("exactly one of base-url and backend-id is required");
        }
    }
}
