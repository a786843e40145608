package io.i2kit;

/** The user's input (manifest, environment file, lock, arguments) is wrong: exit status 2. */
public class InvalidInputException extends I2kitException {
    public InvalidInputException(String message) {
        super(message);
    }

    public InvalidInputException(SourcePosition position, String message) {
        super(position, message);
    }

    public InvalidInputException(SourcePosition position, String message, Throwable cause) {
        super(position, message, cause);
    }
}
