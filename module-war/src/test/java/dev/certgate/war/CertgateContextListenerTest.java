package dev.certgate.war;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CertgateContextListenerTest {
    private static final Map<String, String> ENV = Map.of("CERTGATE_HOME", "/from/env");

    @Test
    void theHomeComesFromInitParamThenSystemPropertyThenEnvironmentThenTheDefault() {
        assertThat(CertgateContextListener.home("/from/param", "/from/property", ENV)).isEqualTo(Path.of("/from/param"));
        assertThat(CertgateContextListener.home(" ", "/from/property", ENV)).isEqualTo(Path.of("/from/property"));
        assertThat(CertgateContextListener.home(null, null, ENV)).isEqualTo(Path.of("/from/env"));
        assertThat(CertgateContextListener.home(null, null, Map.of()))
                .isEqualTo(Path.of("certgate-data").toAbsolutePath());
    }
}
