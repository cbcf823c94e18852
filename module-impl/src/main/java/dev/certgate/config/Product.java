package dev.certgate.config;

/**
 * An APIM product as the APIOps extractor writes it ({@code products/<id>/productInformation.json}): listed, never
 * applied. Certgate has no subscriptions, so it cannot tell which product a call belongs to; a product's policy is
 * therefore reported as not applied ({@code hasPolicy}).
 */
public record Product(String id, String displayName, boolean hasPolicy) {

    /** {@code productInformation.json}'s properties that Certgate shows; APIM's others are left as written. */
    public record Properties(String displayName, String description, String state) {
    }
}
