package dev.certgate.api.policy;

/** One policy statement of CONTRACT §3's subset; one record per element name. */
public sealed interface Policy
        permits Base, AuthenticationCertificate, SetBackendService, SetHeader, RewriteUri, ForwardRequest, Cors {
}
