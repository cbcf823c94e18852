package dev.certgate.observe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * One line per proxied request on logger {@value #LOGGER} at INFO, as JSON (the default) or a common-log-like text
 * line (setting {@value #SETTING}: {@code json}, {@code text} or {@code off}). The path is logged without its query,
 * which may carry keys. Where the lines go is the logging configuration's business, as for every other logger.
 */
public final class AccessLog implements RequestObserver {
    public static final String LOGGER = "certgate.access";
    public static final String SETTING = "certgate.accessLog";
    public static final String SETTING_ENVIRONMENT = "CERTGATE_ACCESS_LOG";

    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final JsonFactory JSON = new JsonFactory();
    private static final DateTimeFormatter COMMON_LOG_TIME =
            DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT).withZone(ZoneOffset.UTC);

    public enum Format { JSON, TEXT, OFF }

    private final Format format;

    public AccessLog(Format format) {
        this.format = format;
    }

    /** The setting as given, null or blank for the default (JSON); anything else is refused naming the setting. */
    public static AccessLog of(String setting) {
        if (setting == null || setting.isBlank()) {
            return new AccessLog(Format.JSON);
        }
        return switch (setting.trim().toLowerCase(Locale.ROOT)) {
            case "json" -> new AccessLog(Format.JSON);
            case "text" -> new AccessLog(Format.TEXT);
            case "off" -> new AccessLog(Format.OFF);
            default -> throw new IllegalArgumentException(
                    SETTING + " is \"" + setting.trim() + "\": use json, text or off");
        };
    }

    public Format format() {
        return format;
    }

    @Override
    public void completed(RequestRecord record) {
        if (format == Format.OFF || !LOG.isInfoEnabled()) {
            return;
        }
        LOG.info(format == Format.JSON ? json(record) : text(record));
    }

    static String json(RequestRecord record) {
        StringWriter line = new StringWriter(384);
        try (JsonGenerator json = JSON.createGenerator(line)) {
            json.writeStartObject();
            json.writeStringField("time", Instant.ofEpochMilli(record.startMillis()).toString());
            json.writeStringField("requestId", record.requestId());
            if (record.correlationId() != null) {
                json.writeStringField("correlationId", record.correlationId());
            }
            json.writeStringField("caller", record.callerAddress());
            json.writeStringField("method", record.method());
            json.writeStringField("path", record.path());
            json.writeStringField("api", record.apiId());
            json.writeStringField("operation", record.operationId());
            if (record.answered()) {
                json.writeNumberField("status", record.status());
            } else {
                json.writeNullField("status"); // the caller left before an answer was sent
            }
            if (record.backendStatus() >= 0) {
                json.writeNumberField("backendStatus", record.backendStatus());
            } else {
                json.writeNullField("backendStatus");
            }
            json.writeNumberField("durationMs", millis(record.totalNanos()));
            if (record.backendNanos() >= 0) {
                json.writeNumberField("backendMs", millis(record.backendNanos()));
            } else {
                json.writeNullField("backendMs");
            }
            json.writeNumberField("requestBytes", record.requestBytes());
            json.writeNumberField("responseBytes", record.responseBytes());
            json.writeStringField("certificateId", record.certificateId());
            json.writeStringField("certificateThumbprint", record.certificateThumbprint());
            json.writeStringField("reason", record.failure() == null ? null : record.failure().code());
            if (record.callerLeft()) {
                json.writeBooleanField("callerLeft", true);
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return line.toString();
    }

    /**
     * {@code caller - - [time] "METHOD path" status responseBytes} as in the common log format, then the other fields
     * of the JSON line, named as there, as {@code name=value}, {@code -} for none.
     */
    static String text(RequestRecord record) {
        StringBuilder line = new StringBuilder(256);
        line.append(record.callerAddress()).append(" - - [")
                .append(COMMON_LOG_TIME.format(Instant.ofEpochMilli(record.startMillis()))).append("] \"")
                .append(record.method()).append(' ');
        quoted(line, record.path());
        line.append("\" ").append(record.answered() ? Integer.toString(record.status()) : "-")
                .append(' ').append(record.responseBytes())
                .append(" requestId=").append(record.requestId())
                .append(" correlationId=");
        value(line, record.correlationId());
        line.append(" api=");
        value(line, record.apiId());
        line.append(" operation=");
        value(line, record.operationId());
        line.append(" backendStatus=").append(record.backendStatus() >= 0 ? Integer.toString(record.backendStatus()) : "-")
                .append(" durationMs=").append(millis(record.totalNanos()))
                .append(" backendMs=").append(record.backendNanos() >= 0 ? Double.toString(millis(record.backendNanos())) : "-")
                .append(" requestBytes=").append(record.requestBytes())
                .append(" certificateId=");
        value(line, record.certificateId());
        line.append(" certificateThumbprint=");
        value(line, record.certificateThumbprint());
        line.append(" reason=").append(record.failure() == null ? "-" : record.failure().code());
        if (record.callerLeft()) {
            line.append(" callerLeft=true");
        }
        return line.toString();
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    private static void value(StringBuilder line, String value) {
        if (value == null || value.isEmpty()) {
            line.append('-');
        } else {
            quoted(line, value);
        }
    }

    /** Escapes what would let a caller forge a line or a field: quotes, backslashes, spaces and control characters. */
    private static void quoted(StringBuilder line, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\' || c <= ' ' || c == 0x7f) {
                line.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else {
                line.append(c);
            }
        }
    }
}
