package io.i2kit.manifest;

import io.i2kit.InvalidInputException;
import java.util.regex.Pattern;

/**
 * The one rule for a secret's name, shared by the manifest's validation and the CLI's
 * {@code i2kit secret} commands. The name is the last part of its SSM parameter
 * ({@code /i2kit/APP/NAME}) and a file name (in the local store, and {@code /run/secrets/NAME} in
 * the container), so: 1 to 128 letters, digits, '_', '-' and '.', not starting with '.'.
 */
public final class SecretName {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9_.-]{0,127}");

    private SecretName() {
    }

    public static boolean isValid(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    /** Fails (invalid input) with {@link #problem} when {@code name} breaks the rule. */
    public static void check(String name) {
        if (!isValid(name)) {
            throw new InvalidInputException(problem(name));
        }
    }

    /** A foreign file's name for a secret made one that is valid: other characters '-', no leading dot. */
    static String from(String foreign) {
        String name = foreign.replaceAll("[^A-Za-z0-9_.-]", "-").replaceFirst("^\\.+", "");
        name = name.isEmpty() ? "secret" : name;
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    /** What {@code name} breaks, for an error message. */
    public static String problem(String name) {
        return "\"" + name + "\" is not a valid secret name; expected 1 to 128 letters, digits, '_', '-' and '.', "
                + "not starting with '.'";
    }
}
