package io.i2kit.image;

import io.i2kit.oci.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * A layer in the unpacked-layer cache: its entries in archive order, regular files' contents
 * under {@code dir}. Immutable once in the cache; shared by every build that uses the layer.
 *
 * @param blob the compressed blob it came from, for messages
 */
public record UnpackedLayer(Digest diffId, Digest blob, Path dir, List<LayerEntry> entries) {
    public UnpackedLayer {
        entries = List.copyOf(entries);
    }

    /** "layer sha256:<blob> (diff_id <12 hex>)": how messages name a layer. */
    public String describe() {
        return "layer " + blob + " (diff_id " + diffId.shortForm() + ")";
    }
}
