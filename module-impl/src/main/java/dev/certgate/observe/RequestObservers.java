package dev.certgate.observe;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** The observers of proxied requests, each shielded from the others: one that throws never breaks a request. */
public final class RequestObservers implements RequestObserver {
    private static final Logger LOG = LoggerFactory.getLogger(RequestObservers.class);

    private final List<RequestObserver> observers;

    public RequestObservers(List<RequestObserver> observers) {
        this.observers = List.copyOf(observers);
    }

    @Override
    public void completed(RequestRecord record) {
        for (RequestObserver observer : observers) {
            try {
                observer.completed(record);
            } catch (RuntimeException e) {
                LOG.error("An observer of proxied requests failed on requestId {}", record.requestId(), e);
            }
        }
    }
}
