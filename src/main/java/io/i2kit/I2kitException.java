package io.i2kit;

import java.util.Optional;

/**
 * Root of every error i2kit reports to a user: what went wrong and, for a mistake in an input file,
 * where. Nothing is formatted where it is thrown; the CLI's one handler prints
 * {@code file:line:column: error: message} (or {@code error: message}) and maps subtypes to exit codes.
 */
public class I2kitException extends RuntimeException {
    private final transient SourcePosition position;

    public I2kitException(String message) {
        this(null, message, null);
    }

    public I2kitException(String message, Throwable cause) {
        this(null, message, cause);
    }

    public I2kitException(SourcePosition position, String message) {
        this(position, message, null);
    }

    public I2kitException(SourcePosition position, String message, Throwable cause) {
        super(message, cause);
        this.position = position;
    }

    /** Where in an input file the error is; empty when it is not about one. */
    public Optional<SourcePosition> position() {
        return Optional.ofNullable(position);
    }
}
