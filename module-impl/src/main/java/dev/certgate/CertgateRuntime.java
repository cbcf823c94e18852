package dev.certgate;

import dev.certgate.api.ErrorCode;
import dev.certgate.certs.AuthorityStore;
import dev.certgate.certs.CertificateStore;
import dev.certgate.certs.MasterKey;
import dev.certgate.certs.SealedValues;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.http.BodyDeadline;
import dev.certgate.inventory.CertificateActivity;
import dev.certgate.inventory.ExpiryLog;
import dev.certgate.inventory.ExpirySettings;
import dev.certgate.metrics.GatewayMetrics;
import dev.certgate.metrics.MetricsEndpoint;
import dev.certgate.observe.AccessLog;
import dev.certgate.observe.RequestObservers;
import dev.certgate.outbound.BackendTlsProvider;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.HandshakeListener;
import dev.certgate.proxy.ForwardingSettings;
import dev.certgate.proxy.ProxyCore;
import dev.certgate.proxy.TrustedProxies;
import dev.certgate.proxy.Via;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Everything one Certgate instance runs, built from a home directory and closed together. One per web
 * application, kept in the ServletContext under {@link #CONTEXT_ATTRIBUTE}.
 */
public final class CertgateRuntime implements AutoCloseable {
    public static final String CONTEXT_ATTRIBUTE = CertgateRuntime.class.getName();
    private static final Logger LOG = LoggerFactory.getLogger(CertgateRuntime.class);

    private final ConfigService config;
    private final MasterKey masterKey;
    private final SealedValues sealedValues;
    private final CertificateStore certificates;
    private final AuthorityStore authorities;
    private final ClientPools pools;
    private final GatewayMetrics metrics;
    private final MetricsEndpoint metricsEndpoint;
    private final ProxyCore proxy;
    private final CertificateActivity activity = new CertificateActivity();
    private final ExpirySettings expiry;
    private final int adminMaxBodyBytes;
    private final BodyDeadline bodyDeadline;
    private ExpiryLog expiryLog;

    private CertgateRuntime(Path home, Map<String, String> environment, UnaryOperator<String> contextParameters) {
        // Settings first: a bad one stops the start before anything is created.
        LimitSettings limits = LimitSettings.read((name, environmentName) ->
                setting(name, environmentName, contextParameters, environment));
        this.adminMaxBodyBytes = limits.adminMaxBodyBytes();
        TrustedProxies trustedProxies = TrustedProxies.parse(
                setting(TrustedProxies.PARAMETER, TrustedProxies.ENVIRONMENT, contextParameters, environment));
        ForwardingSettings forwarding = ForwardingSettings.parse(
                setting(ForwardingSettings.MODE, ForwardingSettings.MODE_ENVIRONMENT, contextParameters, environment),
                setting(ForwardingSettings.BODY_TIMEOUT, ForwardingSettings.BODY_TIMEOUT_ENVIRONMENT, contextParameters,
                        environment),
                setting(ForwardingSettings.BODY_MIN_RATE, ForwardingSettings.BODY_MIN_RATE_ENVIRONMENT,
                        contextParameters, environment));
        this.bodyDeadline = forwarding.bodyDeadline();
        BackendTlsProvider tlsProvider = BackendTlsProvider.choose(
                setting(BackendTlsProvider.SETTING, BackendTlsProvider.SETTING_ENVIRONMENT, contextParameters,
                        environment));
        AccessLog accessLog = AccessLog.of(
                setting(AccessLog.SETTING, AccessLog.SETTING_ENVIRONMENT, contextParameters, environment));
        this.expiry = ExpirySettings.parse(setting(ExpirySettings.WARNING_DAYS, ExpirySettings.WARNING_DAYS_ENVIRONMENT,
                contextParameters, environment));
        String metricsPath = MetricsEndpoint.path(
                setting(MetricsEndpoint.PARAMETER, MetricsEndpoint.ENVIRONMENT, contextParameters, environment));
        HomeLayout layout = new HomeLayout(home);
        this.masterKey = MasterKey.loadOrCreate(layout, environment);
        this.sealedValues = new SealedValues(masterKey);
        this.config = new ConfigService(layout, sealedValues);
        this.certificates = new CertificateStore(config, masterKey);
        this.authorities = new AuthorityStore(config);
        if (tlsProvider.fallbackReason() != null) {
            LOG.warn("Back-end TLS: {}, because {}", tlsProvider.description(), tlsProvider.fallbackReason());
        } else {
            LOG.info("Back-end TLS: {}", tlsProvider.description());
        }
        this.pools = new ClientPools(limits.pools().withTls(tlsProvider));
        // Pools follow a configuration as it is published (certificates replaced or gone, authorities changed),
        // whether or not a request comes.
        config.addListener(pools::onSnapshot);
        this.metrics = new GatewayMetrics(config, pools, certificates.keys()::storedNotAfter);
        this.metricsEndpoint = new MetricsEndpoint(metricsPath, metrics);
        this.proxy = new ProxyCore(config::current, certificates.keys()::keyMaterial, pools, trustedProxies,
                Via.pseudonym(masterKey), limits.maxRequestsInFlight(), forwarding,
                new RequestObservers(List.of(accessLog, activity, metrics.requests())));
        metrics.inFlight(proxy::inFlight);
        pools.addHandshakeListener(new HandshakeListener() {
            @Override
            public void completed(String certificateId, String thumbprint, boolean resumed) {
                if (certificateId != null) {
                    activity.handshake(certificateId);
                }
            }

            @Override
            public void failed(String certificateId, String thumbprint, ErrorCode reason) {
                // a failed handshake reaches the activity as the failure of the request that met it
            }
        });
    }

    /**
     * Builds and starts an instance on {@code home}.
     *
     * @param environment       usually {@code System.getenv()}
     * @param contextParameters the web application's context init-params, null for one not set
     */
    public static CertgateRuntime start(Path home, Map<String, String> environment,
                                        UnaryOperator<String> contextParameters) {
        CertgateRuntime runtime = new CertgateRuntime(home, environment, contextParameters);
        runtime.config.start();
        runtime.expiryLog = ExpiryLog.start(runtime.config::current, runtime.config.layout(),
                runtime.expiry.warningDays(), runtime.certificates.keys()::storedNotAfter);
        return runtime;
    }

    public ConfigService config() { return config; }
    public CertificateStore certificates() { return certificates; }
    public AuthorityStore authorities() { return authorities; }
    public ClientPools pools() { return pools; }
    /** Seals and opens the values of secret named values. */
    public SealedValues sealedValues() { return sealedValues; }
    public ProxyCore proxy() { return proxy; }
    /** What each stored certificate did since start; the proxy reports requests and handshakes to it. */
    public CertificateActivity certificateActivity() { return activity; }
    /** {@code certgate.expiryWarningDays}: how far ahead expiry shows in status and the log. */
    public ExpirySettings expiry() { return expiry; }
    /** The Prometheus metrics: the scrape, and the request observer the proxy reports to. */
    public GatewayMetrics metrics() { return metrics; }
    /** {@code certgate.admin.maxBodyBytes}: the largest admin request body, uploads included. */
    public int adminMaxBodyBytes() { return adminMaxBodyBytes; }
    /** {@code certgate.requestBodyTimeout} and {@code certgate.requestBodyMinRate}: how slowly a body may come. */
    public BodyDeadline bodyDeadline() { return bodyDeadline; }
    /** The unauthenticated scrape path ({@code certgate.metrics.path}), off unless set. */
    public MetricsEndpoint metricsEndpoint() { return metricsEndpoint; }

    /**
     * A setting as the home is given: context init-param, then system property (both {@code name}), then environment.
     */
    private static String setting(String name, String environmentName, UnaryOperator<String> contextParameters,
                                  Map<String, String> environment) {
        for (String candidate : new String[] {contextParameters.apply(name), System.getProperty(name),
                environment.get(environmentName)}) {
            if (candidate != null && !candidate.isBlank()) {
                return candidate;
            }
        }
        return null;
    }

    @Override
    public void close() {
        if (expiryLog != null) {
            expiryLog.close();
        }
        proxy.close();
        pools.close();
        certificates.close();
        config.close();
        metrics.close();
    }
}
