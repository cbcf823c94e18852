package dev.certgate.config;

import dev.certgate.api.Ids;

import java.nio.file.Path;

/**
 * Where every file of a Certgate home lives (CONTRACT §2). Every id is checked against the id
 * pattern before a path is built from it, so no caller can reach outside the home.
 */
public record HomeLayout(Path home) {
    /** The file names inside an entity's folder, for the loaders that walk the folders they find. */
    public static final String POLICY = "policy.xml";
    public static final String API_INFORMATION = "apiInformation.json";
    public static final String OPERATION_INFORMATION = "operationInformation.json";
    public static final String BACKEND_INFORMATION = "backendInformation.json";
    public static final String VERSION_SET_INFORMATION = "versionSetInformation.json";
    public static final String PRODUCT_INFORMATION = "productInformation.json";
    public static final String CERTIFICATE_INFORMATION = "certificateInformation.json";
    public static final String AUTHORITY_PEM = "authority.pem";
    public static final String NAMED_VALUE_INFORMATION = "namedValueInformation.json";
    public static final String POLICY_FRAGMENT_INFORMATION = "policyFragmentInformation.json";
    public static final String KEY_STORE_SUFFIX = ".p12";

    public HomeLayout {
        home = home.toAbsolutePath().normalize();
    }

    public Path configDir() { return home.resolve("config"); }
    public Path secretsDir() { return home.resolve("secrets"); }

    public Path globalPolicy() { return configDir().resolve(POLICY); }

    public Path apisDir() { return configDir().resolve("apis"); }
    public Path apiDir(String apiId) { return apisDir().resolve(Ids.require("api", apiId)); }
    public Path apiInformation(String apiId) { return apiDir(apiId).resolve(API_INFORMATION); }
    public Path apiPolicy(String apiId) { return apiDir(apiId).resolve(POLICY); }
    public Path operationsDir(String apiId) { return apiDir(apiId).resolve("operations"); }
    public Path operationDir(String apiId, String opId) {
        return operationsDir(apiId).resolve(Ids.require("operation", opId));
    }
    public Path operationInformation(String apiId, String opId) {
        return operationDir(apiId, opId).resolve(OPERATION_INFORMATION);
    }
    public Path operationPolicy(String apiId, String opId) { return operationDir(apiId, opId).resolve(POLICY); }

    /** APIOps' folder of version sets, whose name has a space. */
    public Path versionSetsDir() { return configDir().resolve("version sets"); }

    public Path productsDir() { return configDir().resolve("products"); }

    public Path backendsDir() { return configDir().resolve("backends"); }
    public Path backendDir(String backendId) { return backendsDir().resolve(Ids.require("backend", backendId)); }
    public Path backendInformation(String backendId) { return backendDir(backendId).resolve(BACKEND_INFORMATION); }

    public Path certificatesDir() { return configDir().resolve("certificates"); }
    public Path certificateDir(String certId) { return certificatesDir().resolve(Ids.require("certificate", certId)); }
    public Path certificateInformation(String certId) {
        return certificateDir(certId).resolve(CERTIFICATE_INFORMATION);
    }

    public Path authoritiesDir() { return configDir().resolve("authorities"); }
    public Path authorityDir(String caId) { return authoritiesDir().resolve(Ids.require("authority", caId)); }
    public Path authorityPem(String caId) { return authorityDir(caId).resolve(AUTHORITY_PEM); }

    public Path namedValuesDir() { return configDir().resolve("named values"); }
    public Path namedValueDir(String id) { return namedValuesDir().resolve(Ids.require("named value", id)); }
    public Path namedValueInformation(String id) { return namedValueDir(id).resolve(NAMED_VALUE_INFORMATION); }

    public Path policyFragmentsDir() { return configDir().resolve("policy fragments"); }

    public Path masterKey() { return secretsDir().resolve("master.key"); }
    public Path secretCertificatesDir() { return secretsDir().resolve("certificates"); }
    public Path certificateKeyStore(String certId) {
        return secretCertificatesDir().resolve(Ids.require("certificate", certId) + KEY_STORE_SUFFIX);
    }
    /** The values of secret and Key Vault named values, encrypted under the master key. */
    public Path secretNamedValuesDir() { return secretsDir().resolve("namedValues"); }
    public Path namedValueSecret(String id) {
        return secretNamedValuesDir().resolve(Ids.require("named value", id) + ".sealed");
    }

    /** The lock file that serialises writers across threads and processes sharing this home. */
    public Path writeLock() { return home.resolve(".write.lock"); }

    /** The write-ahead journal of a multi-file change that is committed but not yet complete (hidden: never loaded). */
    public Path journal() { return home.resolve(".journal"); }

    /** A path relative to the home, with '/' separators, as shown in errors and status. */
    public String relative(Path path) {
        return home.relativize(path.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }
}
