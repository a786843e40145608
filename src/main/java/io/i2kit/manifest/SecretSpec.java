package io.i2kit.manifest;

/**
 * A secret the application declares at the top level ({@code secrets: {NAME: {generate: true}}}).
 * Declaring is optional: a container may read any secret that is set with {@code i2kit secret set}.
 * One with {@code generate} gets a random value of {@code length} characters on the first
 * {@code up} that finds it unset, so an application can start on a fresh machine; the value itself
 * never enters the model.
 */
public record SecretSpec(String name, boolean generate, int length) {
    public static final int DEFAULT_LENGTH = 32;
    /** Below this a generated secret is guessable; above it no program needs it. */
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 1024;
}
