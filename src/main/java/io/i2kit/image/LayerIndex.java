package io.i2kit.image;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** The JSON index of an unpacked layer ({@code index.json} in its cache directory). */
final class LayerIndex {
    static final String FILE = "index.json";
    private static final int VERSION = 1;
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    record Document(int version, String diffId, String blob, List<LayerEntry> entries) {
    }

    private LayerIndex() {
    }

    static void write(Path dir, UnpackedLayer layer) throws IOException {
        JSON.writeValue(dir.resolve(FILE).toFile(),
                new Document(VERSION, layer.diffId().toString(), layer.blob().toString(), layer.entries()));
    }

    /** Reads the index of a cached layer, refusing one written by another version or for another layer. */
    static UnpackedLayer read(Path dir, Digest diffId) {
        Path file = dir.resolve(FILE);
        try {
            Document doc = JSON.readValue(file.toFile(), Document.class);
            if (doc.version() != VERSION || !diffId.toString().equals(doc.diffId())) {
                throw new I2kitException("unpacked layer index " + file + " is for " + doc.diffId() + " (format "
                        + doc.version() + "), not " + diffId + "; delete " + dir + " to unpack it again");
            }
            return new UnpackedLayer(diffId, Digest.parse(doc.blob()), dir, doc.entries());
        } catch (IOException | IllegalArgumentException e) {
            throw new I2kitException("cannot read unpacked layer index " + file + ": " + e.getMessage()
                    + "; delete " + dir + " to unpack the layer again", e);
        }
    }
}
