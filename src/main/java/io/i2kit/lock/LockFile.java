package io.i2kit.lock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.yaml.Position;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * {@code i2kit.lock}: the digest every base package and image reference resolved to the first time,
 * like a package lock. Builds use it until {@code i2kit lock --update}; it is what keeps builds
 * repeatable after pinned Debian versions vanish from the mirrors.
 */
public record LockFile(Map<String, String> images) {
    public static final int VERSION = 1;
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public LockFile {
        images = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(images));
    }

    public static final LockFile EMPTY = new LockFile(Map.of());

    public Pins pins() {
        return new Pins(images);
    }

    /** The lock at {@code file}, or an empty one when there is none yet. */
    public static LockFile read(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return EMPTY;
        } catch (IOException e) {
            throw new I2kitException("cannot read the lock file " + file + ": " + e.getMessage(), e);
        }
        try {
            JsonNode root = JSON.readTree(text);
            if (root == null || !root.isObject() || root.path("version").asInt() != VERSION || !root.path("images").isObject()) {
                throw new InvalidInputException(Position.unknown(file.toString()), "not an i2kit lock file of version " + VERSION
                        + "; delete it and run i2kit lock to create it again");
            }
            Map<String, String> images = new TreeMap<>();
            root.path("images").fields().forEachRemaining(e -> {
                String digest = e.getValue().asText();
                if (!DIGEST.matcher(digest).matches()) {
                    throw new InvalidInputException(Position.unknown(file.toString()), "images." + e.getKey() + ": \"" + digest
                            + "\" is not a sha256 digest");
                }
                images.put(e.getKey(), digest);
            });
            return new LockFile(images);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            throw new InvalidInputException(at == null ? Position.unknown(file.toString())
                    : new Position(file.toString(), at.getLineNr(), at.getColumnNr()),
                    "the lock file is not valid JSON: " + e.getOriginalMessage());
        }
    }

    /** Writes atomically: a reader sees the old lock or the new one, never half of one. */
    public void write(Path file) {
        ObjectNode root = JSON.createObjectNode();
        root.put("version", VERSION);
        ObjectNode imagesNode = root.putObject("images");
        images.forEach(imagesNode::put);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(temp, JSON.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the original error is the one worth reporting
            }
            throw new I2kitException("cannot write the lock file " + file + ": " + e.getMessage(), e);
        }
    }
}
