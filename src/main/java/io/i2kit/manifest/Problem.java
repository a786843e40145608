package io.i2kit.manifest;

import io.i2kit.yaml.Position;

/**
 * One thing wrong (or dubious) in a manifest, shown compiler-style:
 * {@code i2kit.yml:12:9: error: services.api.replicas: expected ...}.
 */
public record Problem(Severity severity, Position position, String path, String message) {
    public enum Severity { ERROR, WARNING }

    @Override
    public String toString() {
        return position + ": " + severity.name().toLowerCase(java.util.Locale.ROOT) + ": "
                + (path.isEmpty() ? "" : path + ": ") + message;
    }
}
