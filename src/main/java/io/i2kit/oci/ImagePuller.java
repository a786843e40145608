package io.i2kit.oci;

import io.i2kit.event.Progress;
import io.i2kit.I2kitException;
import io.i2kit.oci.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * Walks an image from its top document (index or manifest) down to its layers and stores every
 * piece in the blob store, verified; blobs already stored are not fetched again. Every image
 * source pulls through here so they all verify the same way.
 */
public final class ImagePuller {
    private final BlobStore store;

    public ImagePuller(BlobStore store) {
        this.store = store;
    }

    /**
     * @param reference what the user asked for, for messages and the result
     * @param top       the bytes {@code reference} resolved to (already checked against its digest
     *                  when the reference or the lock pinned one)
     */
    public PulledImage pull(String reference, byte[] top, Optional<String> contentType, Platform platform,
                            ImageContent content, Progress progress) {
        Digest topDigest = Digest.of(top);
        ImageDocument document = ImageJson.document(top, contentType, "the manifest of " + reference);
        store.put(top, "the manifest of " + reference);
        byte[] manifestBytes = top;
        Digest manifestDigest = topDigest;
        if (document instanceof ImageIndex index) {
            Descriptor chosen = PlatformSelector.select(index, platform, reference);
            manifestBytes = verified(content.manifest(chosen), chosen.digest(),
                    "the " + platform + " manifest of " + reference);
            manifestDigest = chosen.digest();
            document = ImageJson.document(manifestBytes, Optional.of(chosen.mediaType()),
                    "the " + platform + " manifest of " + reference);
            store.put(manifestBytes, "the " + platform + " manifest of " + reference);
        }
        if (!(document instanceof ImageManifest manifest)) {
            throw new CorruptImageException("the " + platform + " entry of " + reference + "'s index is itself an index;"
                    + " nested indexes are not supported");
        }
        fetch(manifest.config(), "config of " + reference, content, Progress.NONE);
        ImageConfig config = ImageJson.config(store.read(manifest.config().digest()), "the config of " + reference);
        if (config.diffIds().size() != manifest.layers().size()) {
            throw new CorruptImageException("the image " + reference + " lists " + manifest.layers().size()
                    + " layers in its manifest but " + config.diffIds().size() + " in its config");
        }
        for (Descriptor layer : manifest.layers()) {
            fetch(layer, "layer " + layer.digest().shortForm() + " of " + reference, content, progress);
        }
        return new PulledImage(reference, manifestDigest, manifest.config().digest(), config, manifest.layers());
    }

    /** Checks bytes against the digest they were fetched by. */
    public static byte[] verified(byte[] bytes, Digest expected, String what) {
        Digest actual = Digest.of(bytes);
        if (!actual.equals(expected)) {
            throw new io.i2kit.oci.store.BlobMismatchException(what, expected, actual);
        }
        return bytes;
    }

    private void fetch(Descriptor blob, String what, ImageContent content, Progress progress) {
        String task = blob.digest().shortForm();
        if (store.has(blob.digest())) {
            progress.finish(task, "already stored");
            return;
        }
        progress.start(task, blob.size());
        try (InputStream in = new CountingInputStream(content.blob(blob), progress, task, blob.size())) {
            store.put(in, Optional.of(blob.digest()), what);
        } catch (IOException e) {
            throw new I2kitException("cannot read " + what + ": " + e.getMessage(), e);
        }
        progress.finish(task, "pulled " + blob.size() + " bytes");
    }
}
