package dev.certgate.testsupport;

import org.apache.hc.core5.http.EndpointDetails;

import java.net.InetSocketAddress;

/** HttpCore's view of a back-end connection, as an exchange's context carries it, with the counts a test needs. */
public final class TestEndpoints {
    private TestEndpoints() {
    }

    /** A connection that has carried {@code requests} requests and {@code responses} responses. */
    public static EndpointDetails counting(long requests, long responses) {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8443);
        return new EndpointDetails(address, address, null) {
            @Override
            public long getRequestCount() {
                return requests;
            }

            @Override
            public long getResponseCount() {
                return responses;
            }

            @Override
            public long getSentBytesCount() {
                return 0;
            }

            @Override
            public long getReceivedBytesCount() {
                return 0;
            }
        };
    }
}
