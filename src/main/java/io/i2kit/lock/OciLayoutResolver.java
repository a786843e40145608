package io.i2kit.lock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import io.i2kit.manifest.ImageReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves {@code oci:DIR[:TAG]} through the layout's {@code index.json}. */
public final class OciLayoutResolver implements DigestResolver {
    private static final String REF_NAME = "org.opencontainers.image.ref.name";

    @Override
    public Optional<String> resolve(ImageReference reference, Path manifestDirectory) {
        if (reference.source() != ImageReference.Source.OCI_LAYOUT) {
            return Optional.empty();
        }
        Path dir = manifestDirectory.resolve(reference.path()).normalize();
        Path index = dir.resolve("index.json");
        if (!Files.isRegularFile(index)) {
            throw new I2kitException("cannot resolve " + reference + ": " + dir + " is not an OCI image layout (no index.json)"
                    + "; build the example images first (i2kit bootstrap)");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(index.toFile());
        } catch (IOException e) {
            throw new I2kitException("cannot resolve " + reference + ": " + index + " is not valid JSON: " + e.getMessage(), e);
        }
        List<String> tags = new ArrayList<>();
        for (JsonNode m : root.path("manifests")) {
            String name = m.path("annotations").path(REF_NAME).asText(null);
            tags.add(name);
            if (reference.tag() == null ? root.path("manifests").size() == 1 : reference.tag().equals(name)) {
                return Optional.of(m.path("digest").asText());
            }
        }
        throw new I2kitException("cannot resolve " + reference + ": " + (reference.tag() == null
                ? "the layout holds " + tags.size() + " images; name one with oci:DIR:TAG"
                : "no image tagged \"" + reference.tag() + "\" in " + dir + " (tags: " + tags + ")"));
    }
}
