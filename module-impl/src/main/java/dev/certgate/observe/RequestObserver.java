package dev.certgate.observe;

/**
 * Told of every proxied request once its answer is done. Called on the thread that finished the request (a
 * container thread or the back-end I/O reactor's): an observer must not block, and should not take locks.
 */
@FunctionalInterface
public interface RequestObserver {
    void completed(RequestRecord record);
}
