package dev.certgate.war;

import dev.certgate.admin.AdminExceptionMapper;
import dev.certgate.admin.ApisResource;
import dev.certgate.admin.AuthoritiesResource;
import dev.certgate.admin.BackendsResource;
import dev.certgate.admin.CertificatesResource;
import dev.certgate.admin.JsonMapperResolver;
import dev.certgate.admin.MetricsResource;
import dev.certgate.admin.NamedValuesResource;
import dev.certgate.admin.PathParameterRefusal;
import dev.certgate.admin.PoliciesResource;
import dev.certgate.admin.RequestSizeLimit;
import dev.certgate.admin.StatusResource;
import dev.certgate.admin.TlsCheckResource;

import jakarta.ws.rs.core.Application;

import org.glassfish.jersey.jackson.JacksonFeature;
import org.glassfish.jersey.media.multipart.MultiPartFeature;
import org.glassfish.jersey.media.multipart.MultiPartProperties;
import org.glassfish.jersey.server.ServerProperties;

import java.util.Map;
import java.util.Set;

/**
 * The admin API's Jakarta REST application, served by Jersey under {@code /admin}. Everything is listed
 * explicitly and auto-discovery is off: left to discovery, Jersey registers its own Jackson providers
 * and exception mappers next to ours (an NPE in half the deployments, and JSON errors in another shape).
 */
public final class AdminApplication extends Application {
    @Override
    public Set<Class<?>> getClasses() {
        return Set.of(CertificatesResource.class, AuthoritiesResource.class, BackendsResource.class,
                ApisResource.class, PoliciesResource.class, StatusResource.class, NamedValuesResource.class,
                TlsCheckResource.class, MetricsResource.class,
                AdminExceptionMapper.class, PathParameterRefusal.class, RequestSizeLimit.class,
                JsonMapperResolver.class, MultiPartFeature.class);
    }

    @Override
    public Set<Object> getSingletons() {
        return Set.of(JacksonFeature.withoutExceptionMappers(),
                // Uploads are small (RequestSizeLimit) and may hold private keys: never spill parts to temp files.
                new MultiPartProperties().bufferThreshold(MultiPartProperties.BUFFER_THRESHOLD_MEMORY_ONLY)
                        .maxParts(8).resolver());
    }

    @Override
    public Map<String, Object> getProperties() {
        return Map.of(
                ServerProperties.FEATURE_AUTO_DISCOVERY_DISABLE, true,
                ServerProperties.METAINF_SERVICES_LOOKUP_DISABLE, true,
                ServerProperties.WADL_FEATURE_DISABLE, true,
                // Let our error bodies through instead of the container's error page.
                ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
    }
}
