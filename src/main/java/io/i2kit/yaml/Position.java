package io.i2kit.yaml;

import io.i2kit.SourcePosition;

/** A place in a source file, 1-based as editors show it. */
public record Position(String file, int line, int column) implements SourcePosition {
    public static Position unknown(String file) {
        return new Position(file, 0, 0);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}
