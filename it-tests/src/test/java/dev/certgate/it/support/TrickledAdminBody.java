package dev.certgate.it.support;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * An admin write whose body a raw socket sends a byte every 300 ms, which restarts a container's idle timeout each
 * time: only the body deadline ends it. Raw, because an HTTP client sends a body as fast as it can.
 */
public final class TrickledAdminBody {
    private static final long BYTE_EVERY_MILLIS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    private TrickledAdminBody() {
    }

    /**
     * The answer, how long after the head it came, and whether the connection then closed (or was reset) rather than
     * wait for the rest of the body.
     */
    public record Outcome(int status, String body, Duration elapsed, boolean closedAfter) {
    }

    /**
     * PUTs {@code body} as JSON to {@code adminPath} (below {@code base}'s {@code admin/}) as {@code user}, trickled;
     * {@code meanwhile} runs once the trickle has begun.
     */
    public static Outcome put(URL base, String user, String password, String adminPath, Object body,
                              Runnable meanwhile) throws IOException {
        String json = JSON.writeValueAsString(body);
        String context = base.getPath().endsWith("/") ? base.getPath() : base.getPath() + "/";
        String credentials = Base64.getEncoder().encodeToString((user + ":" + password)
                .getBytes(StandardCharsets.UTF_8));
        try (Socket slow = new Socket(base.getHost(), base.getPort())) {
            slow.setSoTimeout(20_000);
            OutputStream out = slow.getOutputStream();
            out.write(("PUT " + context + "admin/" + adminPath + " HTTP/1.1\r\nHost: gateway\r\n"
                    + "Authorization: Basic " + credentials + "\r\nContent-Type: application/json\r\n"
                    + "Content-Length: " + json.length() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            long start = System.nanoTime();
            Thread trickle = new Thread(() -> {
                try {
                    for (int i = 0; i < json.length(); i++) {
                        out.write(json.charAt(i));
                        out.flush();
                        Thread.sleep(BYTE_EVERY_MILLIS);
                    }
                } catch (IOException | InterruptedException closedByTheGateway) {
                    // expected once the deadline has passed
                }
            }, "admin-body-trickle");
            trickle.setDaemon(true);
            trickle.start();

            meanwhile.run();
            KeptAliveAnswers.Answer answer = KeptAliveAnswers.read(slow.getInputStream());
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return new Outcome(answer.status(), new String(answer.body(), StandardCharsets.UTF_8), elapsed,
                    closes(slow.getInputStream()));
        }
    }

    private static boolean closes(InputStream in) throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }
}
