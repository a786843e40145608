package io.i2kit.oci.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code index.json} of an OCI image layout: names ({@code org.opencontainers.image.ref.name})
 * to manifests. In the local store the names are whole references ({@code i2kit.local/kernel:bookworm});
 * in an example's layout they are tags ({@code latest}). Updates hold a lock on {@code index.json.lock}
 * and replace the file atomically, so concurrent builds keep each other's entries.
 */
public final class TagIndex {
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final Path layout;

    public TagIndex(Path layout) {
        this.layout = layout;
    }

    public static TagIndex of(I2kitHome home) {
        return new TagIndex(home.root());
    }

    public Path file() {
        return layout.resolve("index.json");
    }

    /** Points {@code name} at {@code manifest}, replacing the entry of that name and keeping every other one. */
    public void tag(String name, Descriptor manifest) {
        try {
            Files.createDirectories(layout);
            writeLayoutMarker();
            try (FileChannel lockFile = FileChannel.open(layout.resolve("index.json.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock ignored = lockFile.lock()) {
                ObjectNode root = read().orElseGet(TagIndex::emptyIndex);
                ArrayNode kept = JSON.createArrayNode();
                for (JsonNode m : root.path("manifests")) {
                    if (!name.equals(m.path("annotations").path(REF_NAME).asText(null))) {
                        kept.add(m);
                    }
                }
                kept.add(entry(name, manifest));
                root.set("manifests", kept);
                Path tmp = Files.createTempFile(layout, "index.json", ".part");
                try {
                    Files.write(tmp, (JSON.writeValueAsString(root) + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
                    // on disk before the rename: an index published empty after a crash would lose every tag
                    try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(tmp,
                            java.nio.file.StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                    Files.move(tmp, file(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
        } catch (IOException e) {
            throw new I2kitException("cannot tag " + name + " in " + file() + ": " + e.getMessage(), e);
        }
    }

    /** The manifest {@code name} points to, if the layout has it. */
    public Optional<Descriptor> find(String name) {
        return entries().entrySet().stream().filter(e -> e.getKey().equals(name)).map(Map.Entry::getValue).findFirst();
    }

    /** Every named entry, in file order. */
    public Map<String, Descriptor> entries() {
        Map<String, Descriptor> entries = new LinkedHashMap<>();
        read().ifPresent(root -> root.path("manifests").forEach(m -> {
            String name = m.path("annotations").path(REF_NAME).asText(null);
            if (name != null) {
                Map<String, String> annotations = new LinkedHashMap<>();
                m.path("annotations").fields().forEachRemaining(a -> annotations.put(a.getKey(), a.getValue().asText()));
                Optional<Platform> platform = m.has("platform")
                        ? Optional.of(new Platform(m.path("platform").path("os").asText(), m.path("platform").path("architecture").asText(),
                        Optional.ofNullable(m.path("platform").path("variant").asText(null))))
                        : Optional.empty();
                entries.put(name, new Descriptor(m.path("mediaType").asText(), Digest.parse(m.path("digest").asText()),
                        m.path("size").asLong(), annotations, platform));
            }
        }));
        return entries;
    }

    private Optional<ObjectNode> read() {
        try {
            JsonNode root = JSON.readTree(Files.readAllBytes(file()));
            if (root == null || !root.isObject()) {
                throw new I2kitException(file() + " is not an OCI image index (not a JSON object); move it away to start a new one");
            }
            return Optional.of((ObjectNode) root);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new I2kitException("cannot read " + file() + ": " + e.getMessage(), e);
        }
    }

    private void writeLayoutMarker() throws IOException {
        Path marker = layout.resolve("oci-layout");
        if (!Files.exists(marker)) {
            Path tmp = Files.createTempFile(layout, "oci-layout", ".part");
            Files.writeString(tmp, "{\"imageLayoutVersion\":\"1.0.0\"}");
            Files.move(tmp, marker, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static ObjectNode emptyIndex() {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_INDEX);
        root.putArray("manifests");
        return root;
    }

    private static ObjectNode entry(String name, Descriptor d) {
        ObjectNode e = JSON.createObjectNode();
        e.put("mediaType", d.mediaType());
        e.put("digest", d.digest().toString());
        e.put("size", d.size());
        Map<String, String> annotations = new java.util.TreeMap<>(d.annotations());
        annotations.put(REF_NAME, name);
        ObjectNode a = e.putObject("annotations");
        annotations.forEach(a::put);
        d.platform().ifPresent(p -> {
            ObjectNode pn = e.putObject("platform");
            pn.put("architecture", p.architecture());
            pn.put("os", p.os());
            p.variant().ifPresent(v -> pn.put("variant", v));
        });
        return e;
    }
}
