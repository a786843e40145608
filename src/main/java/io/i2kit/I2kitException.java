package io.i2kit;

/** Root of every error i2kit reports to a user; the CLI maps subtypes to exit codes. */
public class I2kitException extends RuntimeException {
    public I2kitException(String message) {
        super(message);
    }

    public I2kitException(String message, Throwable cause) {
        super(message, cause);
    }
}
