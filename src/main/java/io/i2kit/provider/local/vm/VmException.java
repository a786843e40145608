package io.i2kit.provider.local.vm;

import io.i2kit.I2kitException;

/** A VM could not be started, found or stopped; the message says what was run and what it printed. */
public class VmException extends I2kitException {
    public VmException(String message) {
        super(message);
    }

    public VmException(String message, Throwable cause) {
        super(message, cause);
    }
}
