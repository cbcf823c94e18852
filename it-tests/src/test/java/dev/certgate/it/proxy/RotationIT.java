package dev.certgate.it.proxy;

import dev.certgate.it.support.CertgateWar;
import dev.certgate.it.support.Pem;
import dev.certgate.it.support.Reply;
import dev.certgate.testsupport.MtlsBackend;
import dev.certgate.testsupport.TestCerts;
import dev.certgate.testsupport.TestPki;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.net.URL;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Rotation through the admin API while calls run (CONTRACT §4, §5): a certificate replaced under the same id
 * fails no request, requests in flight finish, and every request sent after the PUT returned presents the
 * new certificate, as the back end records.
 */
@ExtendWith(ArquillianExtension.class)
class RotationIT {
    private static final MtlsBackend BACKEND = MtlsBackend.start(TestCerts.server(), TestCerts.CLIENT_CA.certificate());
    private static final int CALLERS = 4;

    @ArquillianResource
    private URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        CertgateWar.freshHome(RotationIT.class);
        return CertgateWar.forClass(RotationIT.class);
    }

    @AfterAll
    static void stopBackend() {
        BACKEND.close();
    }

    /** One call as its caller saw it: when it was sent, its status, and the certificate the back end saw. */
    private record Outcome(long sentNanos, int status, String thumbprint, String failure) {
    }

    @Test
    void aCertificateReplacedUnderItsIdWhileCallsRunFailsNothingAndTheNextCallPresentsTheNewOne() throws Exception {
        GatewaySetup setup = new GatewaySetup(base);
        List<TestPki.Issued> generations = List.of(TestCerts.client("rotation-1"), TestCerts.client("rotation-2"),
                TestCerts.client("rotation-3"));
        setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        setup.certificate("rotating", generations.get(0));
        setup.apiPresenting("rotating", "rotating", BACKEND.url(), "rotating");

        List<Long> replacedAt = new ArrayList<>();
        ConcurrentLinkedQueue<Outcome> outcomes = new ConcurrentLinkedQueue<>();
        AtomicInteger succeeded = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        ExecutorService callers = Executors.newFixedThreadPool(CALLERS);
        try {
            for (int c = 0; c < CALLERS; c++) {
                int caller = c;
                callers.submit(() -> call(caller, stop, outcomes, succeeded));
            }
            awaitMore(succeeded, 20);
            for (TestPki.Issued next : generations.subList(1, generations.size())) {
                setup.certificate("rotating", next);
                replacedAt.add(System.nanoTime());
                String rightAfter = new Caller(base).echo("rotating/right-after-the-put").path("clientThumbprint").asText();
                assertThat(rightAfter).isEqualTo(Pem.sha1(next.certificate()));
                awaitMore(succeeded, 20);
            }
        } finally {
            stop.set(true);
            callers.shutdown();
            assertThat(callers.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(outcomes).allSatisfy(o -> assertThat(o.status()).as(o.toString()).isEqualTo(200));
        List<String> thumbprints = generations.stream().map(g -> Pem.sha1(g.certificate())).toList();
        for (Outcome outcome : outcomes) {
            // A call sent while a PUT runs may see either generation; one sent after it returned never an older one.
            int replacedBefore = (int) replacedAt.stream().filter(at -> at < outcome.sentNanos()).count();
            assertThat(thumbprints.indexOf(outcome.thumbprint())).as("generation presented by a call sent after %d "
                    + "rotations: %s", replacedBefore, outcome).isGreaterThanOrEqualTo(replacedBefore);
        }
        assertThat(outcomes).extracting(Outcome::thumbprint).as("every generation served")
                .containsAll(thumbprints);
    }

    @Test
    void theReplacedCertificatesPoolIsRetiredWhenThePutReturnsWithoutWaitingForARequest() {
        GatewaySetup setup = new GatewaySetup(base);
        TestPki.Issued first = TestCerts.client("retired-1");
        TestPki.Issued second = TestCerts.client("retired-2");
        setup.authority("test-server-ca", TestCerts.SERVER_CA.certificate());
        setup.certificate("retiring", first);
        setup.apiPresenting("retiring", "retiring", BACKEND.url(), "retiring");
        assertThat(new Caller(base).echo("retiring/once").path("clientThumbprint").asText())
                .isEqualTo(Pem.sha1(first.certificate()));
        assertThat(poolThumbprints(setup)).contains(Pem.sha1(first.certificate()));

        setup.certificate("retiring", second);

        // No request in between: the pool follows the configuration as it is published, its idle connection closed.
        assertThat(poolThumbprints(setup)).doesNotContain(Pem.sha1(first.certificate()));
    }

    private static List<String> poolThumbprints(GatewaySetup setup) {
        Reply status = setup.admin().get("status");
        assertThat(status.status()).as(status.toString()).isEqualTo(200);
        return status.json().path("pools").findValuesAsText("thumbprint");
    }

    /** Calls until told to stop; every other call is slow, so some are in flight when a PUT lands. */
    private void call(int caller, AtomicBoolean stop, ConcurrentLinkedQueue<Outcome> outcomes, AtomicInteger succeeded) {
        Caller client = new Caller(base);
        for (int n = 0; !stop.get(); n++) {
            String path = n % 2 == 0 ? "rotating/fast/" + caller + "-" + n : "rotating/slow?ms=150&call=" + caller + "-" + n;
            long sent = System.nanoTime();
            try {
                HttpResponse<String> response = client.get(path);
                String thumbprint = response.statusCode() == 200
                        ? Caller.json(response.body()).path("clientThumbprint").asText() : null;
                outcomes.add(new Outcome(sent, response.statusCode(), thumbprint,
                        response.statusCode() == 200 ? null : response.body()));
                if (response.statusCode() == 200) {
                    succeeded.incrementAndGet();
                }
            } catch (RuntimeException e) {
                outcomes.add(new Outcome(sent, -1, null, e.toString()));
            }
        }
    }

    private static void awaitMore(AtomicInteger succeeded, int more) throws InterruptedException {
        int target = succeeded.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (succeeded.get() < target) {
            assertThat(System.nanoTime()).as("calls keep succeeding").isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
