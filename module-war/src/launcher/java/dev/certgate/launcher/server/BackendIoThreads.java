package dev.certgate.launcher.server;

/**
 * Recognises the I/O reactor threads of Certgate's back-end connection pools. The web application's classes are not
 * visible to the launcher, so the thread's name is the contract: {@code dev.certgate.outbound.AsyncPoolClient} names
 * them with this prefix.
 */
final class BackendIoThreads {
    static final String NAME_PREFIX = "certgate-backend-io-";

    private BackendIoThreads() {
    }

    static boolean isCurrent() {
        return Thread.currentThread().getName().startsWith(NAME_PREFIX);
    }
}
