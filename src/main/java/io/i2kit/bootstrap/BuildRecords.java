package io.i2kit.bootstrap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.I2kitException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;

/**
 * What each build key (builder version, recipe, package versions and digests, copied files)
 * produced last time, so a run with nothing new skips the download and the build. A missing or
 * unreadable record only costs a rebuild, which gives the same digest.
 */
final class BuildRecords {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    BuildRecords(Path directory) {
        this.directory = directory;
    }

    record Entry(Descriptor manifest, long size) {
    }

    Optional<Entry> find(Digest key) {
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(directory.resolve(key.hex() + ".json")));
            Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(n.path("manifest").asText()),
                    n.path("manifestSize").asLong(), Map.of(), Optional.of(Platform.LINUX_AMD64));
            return Optional.of(new Entry(d, n.path("size").asLong()));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    void save(Digest key, Entry entry) {
        ObjectNode n = JSON.createObjectNode();
        n.put("manifest", entry.manifest().digest().toString());
        n.put("manifestSize", entry.manifest().size());
        n.put("size", entry.size());
        try {
            Files.createDirectories(directory);
            Path tmp = Files.createTempFile(directory, key.hex(), ".part");
            Files.write(tmp, JSON.writeValueAsBytes(n));
            Files.move(tmp, directory.resolve(key.hex() + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new I2kitException("cannot record the build in " + directory + ": " + e.getMessage(), e);
        }
    }
}
