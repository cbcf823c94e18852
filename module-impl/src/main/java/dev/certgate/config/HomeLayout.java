package dev.certgate.config;

import dev.certgate.api.Ids;

import java.nio.file.Path;

/**
 * Where every file of a Certgate home lives (CONTRACT §2). Every id is checked against the id
 * pattern before a path is built from it, so no caller can reach outside the home.
 */
public record HomeLayout(Path home) {
    public HomeLayout {
        home = home.toAbsolutePath().normalize();
    }

    public Path configDir() { return home.resolve("config"); }
    public Path secretsDir() { return home.resolve("secrets"); }

    public Path globalPolicy() { return configDir().resolve("policy.xml"); }

    public Path apisDir() { return configDir().resolve("apis"); }
    public Path apiDir(String apiId) { return apisDir().resolve(Ids.require("api", apiId)); }
    public Path apiInformation(String apiId) { return apiDir(apiId).resolve("apiInformation.json"); }
    public Path apiPolicy(String apiId) { return apiDir(apiId).resolve("policy.xml"); }
    public Path operationsDir(String apiId) { return apiDir(apiId).resolve("operations"); }
    public Path operationDir(String apiId, String opId) {
        return operationsDir(apiId).resolve(Ids.require("operation", opId));
    }
    public Path operationInformation(String apiId, String opId) {
        return operationDir(apiId, opId).resolve("operationInformation.json");
    }
    public Path operationPolicy(String apiId, String opId) { return operationDir(apiId, opId).resolve("policy.xml"); }

    /** APIOps' folder of version sets, whose name has a space. */
    public Path versionSetsDir() { return configDir().resolve("version sets"); }

    public Path productsDir() { return configDir().resolve("products"); }

    public Path backendsDir() { return configDir().resolve("backends"); }
    public Path backendDir(String backendId) { return backendsDir().resolve(Ids.require("backend", backendId)); }
    public Path backendInformation(String backendId) { return backendDir(backendId).resolve("backendInformation.json"); }

    public Path certificatesDir() { return configDir().resolve("certificates"); }
    public Path certificateDir(String certId) { return certificatesDir().resolve(Ids.require("certificate", certId)); }
    public Path certificateInformation(String certId) {
        return certificateDir(certId).resolve("certificateInformation.json");
    }

    public Path authoritiesDir() { return configDir().resolve("authorities"); }
    public Path authorityDir(String caId) { return authoritiesDir().resolve(Ids.require("authority", caId)); }
    public Path authorityPem(String caId) { return authorityDir(caId).resolve("authority.pem"); }

    public Path namedValuesDir() { return configDir().resolve("named values"); }
    public Path namedValueDir(String id) { return namedValuesDir().resolve(Ids.require("named value", id)); }
    public Path namedValueInformation(String id) { return namedValueDir(id).resolve("namedValueInformation.json"); }

    public Path policyFragmentsDir() { return configDir().resolve("policy fragments"); }
    public Path policyFragmentDir(String id) { return policyFragmentsDir().resolve(Ids.require("policy fragment", id)); }
    public Path policyFragmentPolicy(String id) { return policyFragmentDir(id).resolve("policy.xml"); }
    public Path policyFragmentInformation(String id) {
        return policyFragmentDir(id).resolve("policyFragmentInformation.json");
    }

    public Path masterKey() { return secretsDir().resolve("master.key"); }
    public Path adminPassword() { return secretsDir().resolve("admin.password"); }
    public Path secretCertificatesDir() { return secretsDir().resolve("certificates"); }
    public Path certificateKeyStore(String certId) {
        return secretCertificatesDir().resolve(Ids.require("certificate", certId) + ".p12");
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
