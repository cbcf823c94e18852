package dev.certgate.admin;

/** The JSON upload {@code {"properties": {"data": "<base64>", "password": "..."}}}; never printed whole. */
public record CertificateUpload(String data, String password) {
    @Override
    public String toString() {
        return "CertificateUpload[redacted]";
    }
}
