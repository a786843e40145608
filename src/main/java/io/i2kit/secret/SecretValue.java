package io.i2kit.secret;

/**
 * A secret's checks before it is stored: not empty, no NUL (the VM hands values to containers as
 * C strings and files), at most {@link #MAX_BYTES}.
 */
public final class SecretValue {
    /** Far more than any password or key; SSM's advanced parameters hold 8 KiB. */
    public static final int MAX_BYTES = 8 * 1024;

    private SecretValue() {
    }

    /** Fails with the reason when {@code value} cannot be a secret of {@code name}. */
    public static void check(String name, byte[] value) {
        if (value.length == 0) {
            throw new io.i2kit.InvalidInputException("secret " + name + ": the value is empty; give it on standard input, "
                    + "e.g. printf %s \"$VALUE\" | i2kit secret set ... " + name);
        }
        if (value.length > MAX_BYTES) {
            throw new io.i2kit.InvalidInputException("secret " + name + ": the value has " + value.length
                    + " bytes; at most " + MAX_BYTES + " are allowed");
        }
        for (byte b : value) {
            if (b == 0) {
                throw new io.i2kit.InvalidInputException("secret " + name + ": the value contains a NUL byte, which "
                        + "neither an environment variable nor the VM's delivery can carry");
            }
        }
    }
}
