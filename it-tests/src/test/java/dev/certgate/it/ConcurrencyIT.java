package dev.certgate.it;

import dev.certgate.it.support.AdminClient;
import dev.certgate.it.support.Bodies;
import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Reply;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Issue 5: writes at once are serialised and never lose or corrupt anything; If-Match races have one winner. */
@ExtendWith(ArquillianExtension.class)
class ConcurrencyIT {
    private static Path home;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        home = CertgateWar.freshHome(ConcurrencyIT.class);
        return CertgateWar.forClass(ConcurrencyIT.class);
    }

    @Test
    void twentyThreadsWritingTwentyApisAtOnceAllLand() throws Exception {
        AdminClient admin = AdminClient.admin(base);
        List<Reply> replies = all(IntStream.range(0, 20).mapToObj(i -> (Callable<Reply>) () ->
                admin.putJson("apis/parallel-" + i, Bodies.api("parallel-" + i, "https://p" + i + ".example")))
                .toList());

        assertThat(replies).extracting(Reply::status).as(replies.toString()).containsOnly(201);
        assertThat(admin.get("apis").json().path("value").findValuesAsText("name"))
                .filteredOn(name -> name.startsWith("parallel-")).hasSize(20);
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < 20; i++) {
            Reply read = admin.get("apis/parallel-" + i);
            assertThat(read.status()).isEqualTo(200);
            assertThat(read.json().path("properties").path("path").asText()).isEqualTo("parallel-" + i);
            assertThat(json.readTree(home.resolve("config/apis/parallel-" + i + "/apiInformation.json").toFile())
                    .path("properties").path("serviceUrl").asText()).isEqualTo("https://p" + i + ".example");
        }
    }

    @Test
    void twoWritersRacingWithTheSameIfMatchHaveExactlyOneWinner() throws Exception {
        AdminClient admin = AdminClient.admin(base);
        for (int round = 0; round < 5; round++) {
            String etag = admin.putJson("apis/contended", Bodies.api("contended", "https://start.example")).etag();

            List<Reply> replies = all(List.of(
                    () -> admin.putJson("apis/contended", Bodies.api("contended", "https://a.example"),
                            "If-Match", etag),
                    () -> admin.putJson("apis/contended", Bodies.api("contended", "https://b.example"),
                            "If-Match", etag)));

            assertThat(replies).extracting(Reply::status).as(replies.toString()).containsExactlyInAnyOrder(200, 412);
            Reply winner = replies.get(0).status() == 200 ? replies.get(0) : replies.get(1);
            assertThat(admin.get("apis/contended").json().path("properties").path("serviceUrl").asText())
                    .isEqualTo(winner.json().path("properties").path("serviceUrl").asText());
        }
    }

    /** Runs the calls on their own threads, released together, and answers their results in order. */
    private static <T> List<T> all(List<Callable<T>> calls) throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(calls.size());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (Callable<T> call : calls) {
                futures.add(threads.submit(() -> {
                    start.await();
                    return call.call();
                }));
            }
            start.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> future : futures) {
                results.add(future.get());
            }
            return results;
        } finally {
            threads.shutdownNow();
        }
    }
}
