package io.i2kit.yaml;

import io.i2kit.InvalidInputException;

/** A file that cannot be read as YAML at all, or that breaks one of {@link YamlLimits}. */
public final class YamlException extends InvalidInputException {
    public YamlException(Position position, String message) {
        super(position, message);
    }
}
