package dev.certgate.config;

import dev.certgate.api.Ids;
import dev.certgate.api.model.ApiProperties;
import dev.certgate.api.model.VersionSetProperties;

/**
 * APIM's version sets: checks a set's properties and tells an API's route from its {@code apiVersionSetId}
 * ({@code /apiVersionSets/<id>}, or the full Azure resource id ending so) and {@code apiVersion}.
 */
final class VersionSets {
    private static final String MARKER = "/apiVersionSets/";

    private VersionSets() {
    }

    /** What is wrong with a version set's properties, or null. */
    static String problem(VersionSetProperties set) {
        ApiRoute.Scheme scheme = ApiRoute.scheme(set.versioningScheme());
        if (scheme == null) {
            return "properties.versioningScheme is required: Segment, Header or Query";
        }
        if (scheme == ApiRoute.Scheme.HEADER && blank(set.versionHeaderName())) {
            return "properties.versionHeaderName is required with versioningScheme Header";
        }
        if (scheme == ApiRoute.Scheme.QUERY && blank(set.versionQueryName())) {
            return "properties.versionQueryName is required with versioningScheme Query";
        }
        return null;
    }

    /** The API's {@code apiVersionSetId} as written, or null when it is in no set. */
    static String reference(ApiProperties api) {
        Object value = api.unused().get("apiVersionSetId");
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value).trim();
    }

    /** The set id of a reference, or null when it is not of the form {@code .../apiVersionSets/<id>}. */
    static String idOf(String reference) {
        int at = reference.lastIndexOf(MARKER);
        String id = at < 0 ? reference : reference.substring(at + MARKER.length());
        return Ids.isValid(id) ? id : null;
    }

    /** The route of an API in the set. */
    static ApiRoute route(ApiProperties api, String setId, VersionSetProperties set) {
        Object version = api.unused().get("apiVersion");
        ApiRoute.Scheme scheme = ApiRoute.scheme(set.versioningScheme());
        String name = scheme == ApiRoute.Scheme.HEADER ? set.versionHeaderName().trim()
                : scheme == ApiRoute.Scheme.QUERY ? set.versionQueryName().trim() : null;
        return new ApiRoute(api.path(), scheme, setId, name, version == null ? "" : String.valueOf(version).trim());
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
