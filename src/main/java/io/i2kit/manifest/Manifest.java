package io.i2kit.manifest;

import io.i2kit.yaml.Problem;
import io.i2kit.yaml.SourceMap;
import java.nio.file.Path;
import java.util.List;

/**
 * An application as loaded from a file, with what is needed to report on it: the file it came
 * from, the format it was written in, where each path stands, and the problems found while reading
 * (errors among them are reported together with the semantic checks of {@link ManifestValidator}).
 */
public record Manifest(Application application, Format format, Path file, SourceMap sources, List<Problem> problems) {
    public enum Format { I2KIT, KUBERNETES, COMPOSE }

    public Manifest {
        problems = List.copyOf(problems);
    }

    /** Problems worth showing even when the manifest is valid. */
    public List<Problem> warnings() {
        return problems.stream().filter(p -> p.severity() == Problem.Severity.WARNING).toList();
    }

    /** The directory that relative paths in the manifest ({@code oci:images/web}) are resolved against. */
    public Path directory() {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of(".") : parent;
    }

    /** The lock file beside the manifest. */
    public Path lockFile() {
        return directory().resolve("i2kit.lock");
    }

    public Manifest withApplication(Application app) {
        return new Manifest(app, format, file, sources, problems);
    }
}
