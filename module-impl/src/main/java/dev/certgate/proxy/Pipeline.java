package dev.certgate.proxy;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.model.BackendProperties;
import dev.certgate.api.policy.AuthenticationCertificate;
import dev.certgate.api.policy.Policy;
import dev.certgate.api.policy.RewriteUri;
import dev.certgate.api.policy.SetBackendService;
import dev.certgate.api.policy.SetHeader;
import dev.certgate.config.GatewaySnapshot;

import java.util.List;

/**
 * Runs the composed policy's sections in document order: inbound steps edit the {@link Exchange}, the
 * backend section yields the forward-request settings, outbound steps edit the response headers. The
 * parser admits each policy only in its sections, so a policy met elsewhere is simply not acted on.
 */
final class Pipeline {
    private Pipeline() {
    }

    static void inbound(Exchange exchange, List<Policy> policies, GatewaySnapshot snapshot) {
        for (Policy policy : policies) {
            if (policy instanceof AuthenticationCertificate certificate) {
                exchange.certificate(certificate);
            } else if (policy instanceof SetBackendService service) {
                setBackendService(exchange, service, snapshot);
            } else if (policy instanceof SetHeader header) {
                exchange.headers.apply(header);
            } else if (policy instanceof RewriteUri rewrite) {
                exchange.rewrite(rewrite);
            }
        }
    }

    static void outbound(Headers responseHeaders, List<Policy> policies) {
        for (Policy policy : policies) {
            if (policy instanceof SetHeader header) {
                responseHeaders.apply(header);
            }
        }
    }

    private static void setBackendService(Exchange exchange, SetBackendService service, GatewaySnapshot snapshot) {
        if (service.baseUrl() != null) {
            exchange.baseUrl(service.baseUrl());
            return;
        }
        BackendProperties backend = snapshot.backends().get(service.backendId());
        if (backend == null) {
            // Validation refuses such a configuration; this guards a hand-built one.
            throw new CertgateException(ErrorCode.CONFIGURATION_ERROR, "API \"" + exchange.route.api().id()
                    + "\" routes to backend \"" + service.backendId() + "\", which is not configured: add it or"
                    + " correct the backend-id");
        }
        exchange.backend(backend);
    }
}
