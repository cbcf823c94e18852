package dev.certgate.observe;

import dev.certgate.api.ErrorCode;

/**
 * What one proxied request did, filled in by the proxy as it goes and handed to every {@link RequestObserver}
 * once its answer is done (access log, metrics, certificate activity). Written by the request's threads one after
 * another (the container's, then the I/O reactor's), read by observers after completion: the hand-over through the
 * in-flight accounting orders the writes before the reads.
 */
public final class RequestRecord {
    /** The status of an answer never sent: the caller left first. */
    public static final int NO_STATUS = 0;

    private final String requestId;
    private final String correlationId;
    private final long startMillis;
    private final long startNanos;
    private final String callerAddress;
    private final String method;
    private final String path;
    private String apiId;
    private String operationId;
    private String backendUrl;
    private String certificateId;
    private String certificateThumbprint;
    private int status;
    private int backendStatus = -1;
    private long backendStartNanos = -1;
    private long backendNanos = -1;
    private long totalNanos = -1;
    private long requestBytes;
    private long responseBytes;
    private ErrorCode failure;
    private boolean callerLeft;

    /**
     * @param requestId     the gateway's own id for this request (answered in {@code X-Request-Id})
     * @param correlationId the caller's {@code X-Request-Id}, kept for the log only; null when it sent none
     * @param path          the path below the gateway's prefix, normalised; never the query
     */
    public RequestRecord(String requestId, String correlationId, String callerAddress, String method, String path) {
        this.requestId = requestId;
        this.correlationId = correlationId;
        this.startMillis = System.currentTimeMillis();
        this.startNanos = System.nanoTime();
        this.callerAddress = callerAddress;
        this.method = method;
        this.path = path;
    }

    public String requestId() {
        return requestId;
    }

    /** The caller's {@code X-Request-Id}, never trusted as the request's own id; null when none came. */
    public String correlationId() {
        return correlationId;
    }

    /** Wall-clock start, milliseconds since the epoch. */
    public long startMillis() {
        return startMillis;
    }

    public String callerAddress() {
        return callerAddress;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    /** The API's id, or null when no API took the request. */
    public String apiId() {
        return apiId;
    }

    /** The operation's id, or null when the API has none or no operation matched. */
    public String operationId() {
        return operationId;
    }

    /** The back end's base URL the request went to, or null when it was not forwarded. */
    public String backendUrl() {
        return backendUrl;
    }

    /** The stored certificate presented to the back end, or null when none was. */
    public String certificateId() {
        return certificateId;
    }

    /** The SHA-1 thumbprint (upper-case hex) of the certificate presented, or null when none was. */
    public String certificateThumbprint() {
        return certificateThumbprint;
    }

    /** The status the caller got; 0 when the answer broke off before a status was sent. */
    public int status() {
        return status;
    }

    /** Whether the caller got a status ({@link #status()} is not {@link #NO_STATUS}). */
    public boolean answered() {
        return status != NO_STATUS;
    }

    /** The back end's status, or -1 when no answer came from it. */
    public int backendStatus() {
        return backendStatus;
    }

    /** From the request's arrival to the end of its answer. */
    public long totalNanos() {
        return totalNanos;
    }

    /** From sending to the back end to the end of its answer's head, or -1 when no answer came from it. */
    public long backendNanos() {
        return backendNanos;
    }

    /** Request body bytes read from the caller. */
    public long requestBytes() {
        return requestBytes;
    }

    /** Response body bytes relayed from the back end to the caller (an error body the gateway wrote not counted). */
    public long responseBytes() {
        return responseBytes;
    }

    /** The error table's code when the gateway answered (or broke off) with a failure, else null. */
    public ErrorCode failure() {
        return failure;
    }

    /** True when the caller's connection failed or closed before its answer was done. */
    public boolean callerLeft() {
        return callerLeft;
    }

    public void markCallerLeft() {
        this.callerLeft = true;
    }

    public void route(String api, String operation) {
        this.apiId = api;
        this.operationId = operation;
    }

    public void backend(String url, String certificate, String thumbprint) {
        this.backendUrl = url;
        this.certificateId = certificate;
        this.certificateThumbprint = thumbprint;
    }

    /** The request is about to be sent to the back end. */
    public void backendStarted() {
        this.backendStartNanos = System.nanoTime();
    }

    /** The back end's answer head arrived. */
    public void backendAnswered(int code) {
        this.backendStatus = code;
        if (backendStartNanos >= 0) {
            this.backendNanos = System.nanoTime() - backendStartNanos;
        }
    }

    public void failed(ErrorCode code) {
        this.failure = code;
    }

    public void addRequestBytes(long n) {
        this.requestBytes += n;
    }

    public void addResponseBytes(long n) {
        this.responseBytes += n;
    }

    /**
     * The caller's side has ended with {@code finalStatus} as the answer's status, unless nothing was sent
     * ({@code sent} false) to a caller that left: then there is none (0), however the response was left.
     */
    public void completed(int finalStatus, boolean sent) {
        this.status = sent || !callerLeft ? finalStatus : NO_STATUS;
        this.totalNanos = System.nanoTime() - startNanos;
    }
}
