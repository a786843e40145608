package io.i2kit.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.oci.Digest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Small OCI images for tests, made with umoci in an OCI layout: each holds one file whose content
 * the test chooses, so two images (or two platforms) differ in every digest.
 */
public final class TestImages {
    private static final ObjectMapper JSON = new ObjectMapper();

    private TestImages() {
    }

    /** A new layout at {@code dir} (which must not exist yet). */
    public static Path layout(Path dir) {
        Commands.run("umoci", "init", "--layout", dir.toString());
        return dir;
    }

    /** Adds image {@code tag}: one file {@code /hello.txt} holding {@code content}, for {@code linux/arch}. */
    public static void image(Path layout, String tag, String arch, String content) {
        try {
            Path file = Files.createTempFile("i2kit-image-", ".txt");
            Files.writeString(file, content, StandardCharsets.UTF_8);
            String image = layout + ":" + tag;
            Commands.run("umoci", "new", "--image", image);
            Commands.run("umoci", "insert", "--image", image, file.toString(), "/hello.txt");
            Commands.run("umoci", "config", "--image", image, "--os", "linux", "--architecture", arch,
                    "--config.cmd", "cat", "--config.cmd", "/hello.txt", "--config.env", "GREETING=" + content);
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The descriptor {@code tag} has in {@code index.json}. */
    public static JsonNode entry(Path layout, String tag) {
        for (JsonNode m : tree(layout.resolve("index.json")).path("manifests")) {
            if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asText())) {
                return m;
            }
        }
        throw new AssertionError("no tag " + tag + " in " + layout);
    }

    public static Digest digest(Path layout, String tag) {
        return Digest.parse(entry(layout, tag).path("digest").asText());
    }

    /**
     * Writes an image index over existing tags ({@code platform architecture → tag}) and tags it
     * {@code tag}; returns the index's digest.
     */
    public static Digest index(Path layout, String tag, Map<String, String> tagsByArchitecture) {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        tagsByArchitecture.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            ObjectNode m = entry(layout, e.getValue()).deepCopy();
            m.remove("annotations");
            m.putObject("platform").put("os", "linux").put("architecture", e.getKey());
            manifests.add(m);
        });
        byte[] bytes = index.toString().getBytes(StandardCharsets.UTF_8);
        Digest digest = Digest.of(bytes);
        try {
            Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), bytes);
            ObjectNode top = (ObjectNode) tree(layout.resolve("index.json"));
            ObjectNode entry = ((ArrayNode) top.path("manifests")).addObject();
            entry.put("mediaType", "application/vnd.oci.image.index.v1+json");
            entry.put("digest", digest.toString());
            entry.put("size", bytes.length);
            entry.putObject("annotations").put("org.opencontainers.image.ref.name", tag);
            Files.writeString(layout.resolve("index.json"), top.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return digest;
    }

    private static JsonNode tree(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
