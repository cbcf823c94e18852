package dev.certgate;

import dev.certgate.certs.AuthorityStore;
import dev.certgate.certs.CertificateStore;
import dev.certgate.certs.MasterKey;
import dev.certgate.config.ConfigService;
import dev.certgate.config.HomeLayout;
import dev.certgate.outbound.ClientPools;
import dev.certgate.outbound.PoolSettings;
import dev.certgate.proxy.ProxyCore;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything one Certgate instance runs, built from a home directory and closed together. One per web
 * application, kept in the ServletContext under {@link #CONTEXT_ATTRIBUTE}.
 */
public final class CertgateRuntime implements AutoCloseable {
    public static final String CONTEXT_ATTRIBUTE = CertgateRuntime.class.getName();

    private final ConfigService config;
    private final MasterKey masterKey;
    private final CertificateStore certificates;
    private final AuthorityStore authorities;
    private final ClientPools pools;
    private final ProxyCore proxy;

    private CertgateRuntime(Path home, Map<String, String> environment) {
        HomeLayout layout = new HomeLayout(home);
        this.masterKey = MasterKey.loadOrCreate(layout, environment);
        this.config = new ConfigService(layout);
        this.certificates = new CertificateStore(config, masterKey);
        this.authorities = new AuthorityStore(config);
        this.pools = new ClientPools(PoolSettings.DEFAULTS);
        this.proxy = new ProxyCore(config::current, certificates::keyMaterial, pools);
    }

    /** Builds and starts an instance on {@code home}; {@code environment} is usually {@code System.getenv()}. */
    public static CertgateRuntime start(Path home, Map<String, String> environment) {
        CertgateRuntime runtime = new CertgateRuntime(home, environment);
        runtime.config.start();
        return runtime;
    }

    public ConfigService config() { return config; }
    public CertificateStore certificates() { return certificates; }
    public AuthorityStore authorities() { return authorities; }
    public ClientPools pools() { return pools; }
    public ProxyCore proxy() { return proxy; }

    @Override
    public void close() {
        pools.close();
        config.close();
    }
}
