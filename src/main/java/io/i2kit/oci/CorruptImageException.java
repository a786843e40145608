package io.i2kit.oci;

import io.i2kit.I2kitException;

/** An image's documents or archive cannot be read as what they claim to be. */
public final class CorruptImageException extends I2kitException {
    public CorruptImageException(String message) {
        super(message);
    }

    public CorruptImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
