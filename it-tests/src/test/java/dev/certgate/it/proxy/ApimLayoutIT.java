package dev.certgate.it.proxy;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.HomeFiles;
import dev.certgate.it.support.Poll;

import com.fasterxml.jackson.databind.JsonNode;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 17: the APIOps extractor's layout through the real WAR: revisions ({@code <api>;rev=<n>}). */
@ExtendWith(ArquillianExtension.class)
class ApimLayoutIT {
    private static final EchoBackend BACKEND = EchoBackend.start();
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ApimLayoutIT.class);
        HomeFiles.write(home, "config/apis/orders/apiInformation.json", revision("1", true));
        HomeFiles.write(home, "config/apis/orders/policy.xml", rewriteTo("/rev1"));
        HomeFiles.write(home, "config/apis/orders;rev=2/apiInformation.json", revision("2", false));
        HomeFiles.write(home, "config/apis/orders;rev=2/policy.xml", rewriteTo("/rev2"));
        return CertgateWar.forClass(ApimLayoutIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    @Test
    void theCurrentRevisionServesAndTheOtherIsListedUntilItBecomesCurrent() {
        assertThat(Gateway.get(base, "orders/x").body()).isEqualTo("echo /rev1");
        JsonNode apis = status().path("apis");
        assertThat(apis.path("served").findValuesAsText("id")).contains("orders");
        assertThat(apis.path("revisions").findValuesAsText("id")).containsExactly("orders;rev=2");

        HomeFiles.write(home, "config/apis/orders;rev=2/apiInformation.json", revision("2", true));
        HomeFiles.write(home, "config/apis/orders/apiInformation.json", revision("1", false));
        Poll.until(Duration.ofSeconds(20), () -> Gateway.get(base, "orders/x").body(), "echo /rev2"::equals);

        assertThat(status().path("apis").path("revisions").findValuesAsText("id")).containsExactly("orders");
    }

    private JsonNode status() {
        return AdminClient.admin(base).get("status").json();
    }

    private static String revision(String number, boolean current) {
        return "{\"properties\": {\"displayName\": \"orders\", \"path\": \"orders\", \"serviceUrl\": \"" + BACKEND.url()
                + "\", \"apiRevision\": \"" + number + "\", \"isCurrent\": " + current + "}}";
    }

    private static String rewriteTo(String template) {
        return HomeFiles.inboundPolicy("<rewrite-uri template=\"" + template + "\" />");
    }
}
