package dev.certgate.api.model;

/**
 * {@code versionSetInformation.json}'s properties (APIM's ApiVersionSetContract): how the APIs of the set, which
 * share a path, are told apart: {@code versioningScheme} {@code Segment} (the version is the path segment after
 * the API's path), {@code Header} (in the header {@code versionHeaderName}) or {@code Query} (in the query
 * parameter {@code versionQueryName}).
 */
public record VersionSetProperties(String displayName, String description, String versioningScheme,
                                   String versionHeaderName, String versionQueryName) {
}
