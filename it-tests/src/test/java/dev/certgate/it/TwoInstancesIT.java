package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.EchoBackend;
import dev.certgate.it.support.Gateway;
import dev.certgate.it.support.Poll;
import dev.certgate.it.support.Reply;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.OperateOnDeployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 5: two gateways (two web applications) on one home see each other's writes through the file watch. */
@ExtendWith(ArquillianExtension.class)
class TwoInstancesIT {
    private static final Duration PROPAGATION = Duration.ofSeconds(5);

    @ArquillianResource
    @OperateOnDeployment("first")
    private URL first;

    @ArquillianResource
    @OperateOnDeployment("second")
    private URL second;

    @Deployment(name = "first", order = 1, testable = false)
    static WebArchive first() {
        CertgateWar.freshHome(TwoInstancesIT.class);
        return CertgateWar.named("twoinstances-first.war");
    }

    /** The same home: the system property still names the one the first deployment got. */
    @Deployment(name = "second", order = 2, testable = false)
    static WebArchive second() {
        return CertgateWar.named("twoinstances-second.war");
    }

    @Test
    void aWriteThroughOneIsServedByTheOtherWithinFiveSeconds() {
        try (EchoBackend backend = EchoBackend.start()) {
            Reply created = AdminClient.admin(first).putJson("apis/shared", Bodies.api("shared", backend.url()));
            assertThat(created.status()).as(created.toString()).isEqualTo(201);

            long start = System.nanoTime();
            Poll.until(PROPAGATION, () -> AdminClient.admin(second).get("apis/shared").status(), s -> s == 200);
            Duration left = PROPAGATION.minusNanos(System.nanoTime() - start);
            Reply proxied = Poll.until(left.isNegative() ? Duration.ZERO : left,
                    () -> Gateway.get(second, "shared/hello"), r -> r.status() == 200);
            assertThat(proxied.body()).isEqualTo("echo /hello");

            Reply changed = AdminClient.admin(second).putJson("apis/shared", Bodies.api("shared-v2", backend.url()));
            assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
            Poll.until(PROPAGATION, () -> AdminClient.admin(first).get("apis/shared").json()
                    .path("properties").path("path").asText(), "shared-v2"::equals);
        }
    }

    @Test
    void writesThroughBothAtOnceAllLandOnBoth() {
        List<CompletableFuture<Reply>> writes = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            int n = i;
            writes.add(CompletableFuture.supplyAsync(() -> AdminClient.admin(first)
                    .putJson("apis/from-first-" + n, Bodies.api("from-first-" + n, "https://f.example"))));
            writes.add(CompletableFuture.supplyAsync(() -> AdminClient.admin(second)
                    .putJson("apis/from-second-" + n, Bodies.api("from-second-" + n, "https://s.example"))));
        }

        List<Reply> replies = writes.stream().map(CompletableFuture::join).toList();

        assertThat(replies).extracting(Reply::status).as(replies.toString()).containsOnly(201);
        for (URL instance : List.of(first, second)) {
            Poll.until(PROPAGATION, () -> AdminClient.admin(instance).get("apis").json().path("value")
                    .findValuesAsText("name").stream().filter(n -> n.startsWith("from-")).count(), c -> c == 20L);
        }
    }
}
