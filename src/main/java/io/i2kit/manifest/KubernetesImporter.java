package io.i2kit.manifest;

import io.i2kit.yaml.YamlNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** Placeholder until the importer lands. */
final class KubernetesImporter {
    private final Binder in;
    private final Path file;

    KubernetesImporter(Binder binder, Path file) {
        this.in = binder;
        this.file = file;
    }

    Optional<Application> read(List<YamlNode> documents) {
        in.problems.error(documents.get(0).position(), "", "Kubernetes files are not supported yet (" + file + ")");
        return Optional.empty();
    }

    Optional<Application> read(YamlNode document) {
        return read(List.of(document));
    }
}
