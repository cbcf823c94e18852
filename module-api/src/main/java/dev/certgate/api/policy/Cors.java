package dev.certgate.api.policy;

import java.util.List;

/**
 * {@code <cors allow-credentials terminate-unmatched-request>} with {@code <allowed-origins>}, {@code
 * <allowed-methods preflight-result-max-age>}, {@code <allowed-headers>} and {@code <expose-headers>}, as APIM has
 * it. Origins are {@code *} or {@code scheme://host:port} in lower case with the port always given; methods are
 * upper case, allowed headers lower case; {@code *} stands for any.
 *
 * @param allowedMethods {@code GET} and {@code POST} when the document has no {@code <allowed-methods>}
 */
public record Cors(boolean allowCredentials, boolean terminateUnmatchedRequest, List<String> allowedOrigins,
                   List<String> allowedMethods, int preflightResultMaxAge, List<String> allowedHeaders,
                   List<String> exposeHeaders) implements Policy {
    public static final String ANY = "*";

    public Cors {
        allowedOrigins = List.copyOf(allowedOrigins);
        allowedMethods = List.copyOf(allowedMethods);
        allowedHeaders = List.copyOf(allowedHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
    }
}
