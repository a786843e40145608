package io.i2kit.manifest;

/**
 * A secret the application declares at the top level ({@code secrets: {NAME: {generate: true}}}).
 * Declaring is optional: a container may read any secret that is set with {@code i2kit secret set}.
 * One with {@code generate} gets a random value of {@code length} characters on the first
 * {@code up} that finds it unset, so an application can start on a fresh machine; the value itself
 * never enters the model.
 */
public record SecretSpec(String name, boolean generate, int length) {
    /**
     * A secret's name is the last part of its SSM parameter ({@code /i2kit/APP/NAME}) and the name
     * of a file (the local store's, and {@code /run/secrets/NAME} in the container): characters
     * both accept, no leading dot.
     */
    public static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");
    /** {@link #NAME} in words, for messages. */
    public static final String NAME_RULE = "1 to 128 letters, digits, '_', '-' and '.', not starting with '.'";
    public static final int DEFAULT_LENGTH = 32;
    /** Below this a generated secret is guessable; above it no program needs it. */
    public static final int MIN_LENGTH = 16;
    public static final int MAX_LENGTH = 1024;

    public static boolean isValidName(String name) {
        return NAME.matcher(name).matches();
    }

    /** A foreign file's name for a secret made one i2kit accepts: other characters '-', no leading dot. */
    static String nameFrom(String foreign) {
        String name = foreign.replaceAll("[^A-Za-z0-9_.-]", "-").replaceFirst("^\\.+", "");
        name = name.isEmpty() ? "secret" : name;
        return name.length() > 128 ? name.substring(0, 128) : name;
    }
}
