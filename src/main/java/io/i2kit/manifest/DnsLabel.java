package io.i2kit.manifest;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Turns a name from a foreign file (a compose project, a Kubernetes namespace or label, a
 * directory) into a DNS label, the way compose derives a project name from a directory: lower-cased,
 * with every run of other characters made one hyphen.
 */
final class DnsLabel {
    static final int MAX_LENGTH = 63;

    private DnsLabel() {
    }

    /** The label for {@code text}, or empty when nothing usable is left (e.g. "2024" or "___"). */
    static Optional<String> from(String text) {
        String label = text.toLowerCase(Locale.ROOT)
                .replaceAll("[^a-z0-9]+", "-")
                .replaceAll("^[^a-z]+", "");
        if (label.length() > MAX_LENGTH) {
            label = label.substring(0, MAX_LENGTH);
        }
        label = label.replaceAll("-+$", "");
        return label.isEmpty() ? Optional.empty() : Optional.of(label);
    }

    /** The name of the directory holding {@code file}, as compose uses it for the project name. */
    static String directoryName(Path file) {
        Path parent = file.toAbsolutePath().normalize().getParent();
        Path name = parent == null ? null : parent.getFileName();
        return name == null ? "" : name.toString();
    }
}
