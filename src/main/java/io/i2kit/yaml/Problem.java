package io.i2kit.yaml;

import java.util.Locale;

/**
 * One thing wrong (or dubious) in a YAML file, shown compiler-style:
 * {@code i2kit.yml:12:9: error: services.api.replicas: expected ...}. The key path names the
 * value as the user wrote it, so a problem can be found without the line number.
 */
public record Problem(Severity severity, Position position, String path, String message) {
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        return position + ": " + severity.name().toLowerCase(Locale.ROOT) + ": "
                + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
