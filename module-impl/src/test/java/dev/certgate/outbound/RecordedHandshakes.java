package dev.certgate.outbound;

import dev.certgate.api.ErrorCode;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A {@link HandshakeListener} that keeps what it is told, one line per event. */
final class RecordedHandshakes implements HandshakeListener {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void completed(String certificateId, String thumbprint, boolean resumed) {
        events.add((resumed ? "resumed " : "full ") + certificateId + " " + thumbprint);
    }

    @Override
    public void failed(String certificateId, String thumbprint, ErrorCode reason) {
        events.add("failed " + certificateId + " " + thumbprint + " " + reason.code());
    }
}
