package io.i2kit.manifest;

import io.i2kit.InvalidInputException;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a manifest in any of the accepted formats (i2kit, Kubernetes apps/v1 Deployment, compose),
 * told apart by content, and normalises it into an {@link Application}. Shape errors are collected
 * in the result so that they are reported together with the semantic checks of
 * {@link ManifestValidator}; only a file that yields no application at all throws here.
 */
public final class ManifestReader {
    public static final String DEFAULT_FILE = "i2kit.yml";

    private ManifestReader() {
    }

    /** {@code -f}: a manifest file, or a directory holding {@code i2kit.yml}. */
    public static Path locate(Path fileOrDirectory) {
        if (Files.isDirectory(fileOrDirectory)) {
            Path file = fileOrDirectory.resolve(DEFAULT_FILE);
            if (!Files.exists(file)) {
                throw new InvalidInputException(Position.unknown(fileOrDirectory.toString()), "no " + DEFAULT_FILE + " in this directory; "
                        + "pass the manifest with -f FILE");
            }
            return file;
        }
        if (!Files.exists(fileOrDirectory)) {
            throw new InvalidInputException(Position.unknown(fileOrDirectory.toString()), "no such file; pass the manifest with -f FILE"
                    + (fileOrDirectory.toString().equals(DEFAULT_FILE) ? " or run i2kit in the directory holding it" : ""));
        }
        return fileOrDirectory;
    }

    public static Manifest read(Path fileOrDirectory) {
        Path file = locate(fileOrDirectory);
        String label = file.toString();
        List<YamlNode> documents = new YamlReader().read(file, label);
        Problems problems = new Problems();
        SourceMap sources = new SourceMap(label);
        Binder binder = new Binder(problems, sources);
        if (documents.isEmpty()) {
            problems.error(Position.unknown(label), "", "the file is empty; expected a manifest with name and services");
            problems.throwIfErrors(label);
        }
        Manifest.Format format = detect(documents);
        Optional<Application> app = switch (format) {
            case KUBERNETES -> new KubernetesImporter(binder, file).read(documents);
            case COMPOSE -> new ComposeImporter(binder, file).read(documents);
            case I2KIT -> {
                if (documents.size() > 1) {
                    problems.error(documents.get(1).position(), "", "an i2kit manifest holds one YAML document, found "
                            + documents.size());
                }
                yield new I2kitReader(binder).read(documents.get(0));
            }
        };
        if (app.isEmpty()) {
            problems.throwIfErrors(label);
        }
        ManifestValidator.checkUses(app.orElseThrow(), sources, problems);
        return new Manifest(app.orElseThrow(), format, file, sources, problems.sorted());
    }

    static Manifest.Format detect(List<YamlNode> documents) {
        YamlNode first = documents.get(0);
        if (first instanceof YamlNode.Mapping m) {
            if (m.get("apiVersion").isPresent() && m.get("kind").isPresent()) {
                return Manifest.Format.KUBERNETES;
            }
            if (m.get("services").orElse(null) instanceof YamlNode.Mapping services) {
                boolean pods = services.entries().values().stream()
                        .anyMatch(s -> s instanceof YamlNode.Mapping sm && sm.get("containers").isPresent());
                boolean composeLike = services.entries().values().stream()
                        .anyMatch(s -> s instanceof YamlNode.Mapping sm
                                && (sm.get("image").isPresent() || sm.get("build").isPresent()));
                if (!pods && composeLike) {
                    return Manifest.Format.COMPOSE;
                }
            }
        }
        return Manifest.Format.I2KIT;
    }
}
