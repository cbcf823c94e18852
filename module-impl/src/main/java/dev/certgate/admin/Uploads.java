package dev.certgate.admin;

import dev.certgate.api.CertgateException;
import dev.certgate.api.ErrorCode;
import dev.certgate.api.ErrorDetail;
import dev.certgate.config.UnusedProperties;

import org.glassfish.jersey.media.multipart.FormDataMultiPart;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Turns the two upload forms (base64 in JSON, a multipart file part) into the file's bytes, with clear 400s. */
final class Uploads {
    private Uploads() {
    }

    static byte[] base64(String data, String field) {
        if (data == null || data.isBlank()) {
            throw missing(field);
        }
        try {
            // Line breaks are tolerated (base64 tools wrap at 64 or 76), nothing else.
            return Base64.getDecoder().decode(data.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw new CertgateException(ErrorCode.VALIDATION_ERROR, field + " is not valid base64",
                    List.of(new ErrorDetail("InvalidBase64", field, "not valid base64")));
        }
    }

    /** The whole part; the stream is already bounded by {@link RequestSizeLimit}. */
    static byte[] part(InputStream part, String field) {
        if (part == null) {
            throw missing(field);
        }
        try (part) {
            byte[] bytes = part.readAllBytes();
            if (bytes.length == 0) {
                throw missing(field);
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * 400 for a form field given more than once (which one was meant?) or one the upload does not read (a misspelt
     * {@code pasword} would otherwise upload without the password): by name only, never its value.
     */
    static void refuseRepeatedOrUnknownFields(FormDataMultiPart form) {
        if (form == null) {
            throw missing("file");
        }
        Map<String, Object> fields = new TreeMap<>();
        form.getFields().forEach((name, parts) -> {
            if (parts.size() > 1) {
                throw new CertgateException(ErrorCode.VALIDATION_ERROR, "Form field '" + name + "' is given "
                        + parts.size() + " times: give it once",
                        List.of(new ErrorDetail("DuplicateProperty", name, "given " + parts.size() + " times")));
            }
            fields.put(name, ""); // values are never judged, nor kept
        });
        // The form's fields (file, password) are CERTIFICATE_FORM's: the findings flag only the others.
        ConfigWrites.refuseUnknownProperties("the upload form", UnusedProperties.ofCertificateForm(fields));
    }

    /** The password as characters the caller clears after use; none is an empty password. */
    static char[] password(String password) {
        return password == null ? new char[0] : password.toCharArray();
    }

    private static CertgateException missing(String field) {
        return new CertgateException(ErrorCode.VALIDATION_ERROR, field + " is required",
                List.of(new ErrorDetail("MissingField", field, "the certificate file is required")));
    }
}
