package dev.certgate.launcher.server;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Jetty's thread pool, but a caller's connection whose answer a back-end I/O thread has just finished goes on to its
 * next request on that thread. Jetty hands every such connection to a pool thread to read on (each answer finished
 * outside the thread that handled its request: every answer on the non-blocking path), and waking that thread and
 * parking it again was the largest cost the gateway added per request in the side-by-side benchmark. What such a
 * request may do there is bounded by {@link OffBackendThreads}.
 */
final class GatewayThreadPool extends QueuedThreadPool {
    private static final Logger LOG = LoggerFactory.getLogger(GatewayThreadPool.class);

    GatewayThreadPool(int maxThreads) {
        super(maxThreads);
    }

    @Override
    public void execute(Runnable job) {
        if (job instanceof Connection && BackendIoThreads.isCurrent()) {
            try {
                job.run();
            } catch (RuntimeException | Error e) { // as a pool thread would: the I/O thread must go on
                LOG.warn("Reading a caller's next request failed", e);
            }
            return;
        }
        super.execute(job);
    }
}
