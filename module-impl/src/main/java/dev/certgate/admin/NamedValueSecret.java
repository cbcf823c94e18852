package dev.certgate.admin;

/** APIM's NamedValueSecretContract: what {@code POST .../listValue} answers, the one call that shows a secret. */
public record NamedValueSecret(String value) {
}
