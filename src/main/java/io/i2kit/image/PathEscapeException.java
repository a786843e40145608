package io.i2kit.image;

import io.i2kit.I2kitException;

/** A path that would leave the root of a file tree, or that no file system can hold. */
public final class PathEscapeException extends I2kitException {
    private final String path;

    public PathEscapeException(String path, String why) {
        super("path \"" + path + "\" is refused: " + why);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
