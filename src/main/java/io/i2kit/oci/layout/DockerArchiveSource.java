package io.i2kit.oci.layout;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.CorruptImageException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.ImageContent;
import io.i2kit.oci.ImageJson;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.ImagePuller;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PlatformNotFoundException;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobMismatchException;
import io.i2kit.oci.store.BlobStore;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarFile;

/**
 * A {@code docker save} archive, {@code docker-archive:FILE} (FILE relative to the manifest's
 * directory): {@code manifest.json} naming a config and layer tars. The archive has no OCI
 * manifest, so i2kit writes one (same archive, same bytes, same digest) and stores it with the
 * blobs; its digest is what the lock pins.
 */
public final class DockerArchiveSource implements ImageSource {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BlobStore store;
    private final Path baseDirectory;

    public DockerArchiveSource(BlobStore store, Path baseDirectory) {
        this.store = store;
        this.baseDirectory = baseDirectory;
    }

    @Override
    public Optional<Digest> resolve(ImageReference reference) {
        if (reference.source() != ImageReference.Source.DOCKER_ARCHIVE) {
            return Optional.empty();
        }
        return Optional.of(Digest.of(importArchive(reference)));
    }

    @Override
    public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                      Progress progress) {
        if (reference.source() != ImageReference.Source.DOCKER_ARCHIVE) {
            return Optional.empty();
        }
        byte[] manifest = importArchive(reference);
        Optional<Digest> expected = pinned.or(() -> reference.pinnedDigest().map(Digest::parse));
        expected.ifPresent(d -> {
            if (!d.equals(Digest.of(manifest))) {
                throw new ImageNotFoundException("cannot pull " + reference + ": the archive now holds image "
                        + Digest.of(manifest) + ", not " + d + " as pinned; run i2kit lock --update if the change is wanted");
            }
        });
        ImageContent stored = new ImageContent() {
            @Override
            public byte[] manifest(Descriptor descriptor) {
                throw new IllegalStateException("an archive's manifest has no index");
            }

            @Override
            public InputStream blob(Descriptor descriptor) {
                throw new IllegalStateException("every blob of an archive is stored by importArchive");
            }
        };
        PulledImage image = new ImagePuller(store).pull(reference.toString(), manifest,
                Optional.of(MediaTypes.OCI_MANIFEST), platform, stored, progress);
        if (!platform.matches(image.config().platform())) {
            throw new PlatformNotFoundException(reference + " is an image for " + image.config().platform()
                    + ", not " + platform + "; save an image built for " + platform);
        }
        return Optional.of(image);
    }

    /** Copies config and layers into the store and returns the OCI manifest written for them. */
    private byte[] importArchive(ImageReference reference) {
        Path file = baseDirectory.resolve(reference.path()).normalize();
        if (!Files.isRegularFile(file)) {
            throw new ImageNotFoundException("cannot read " + reference + ": there is no file " + file
                    + " (the path is relative to the manifest's directory)");
        }
        String hint = "; create it again with docker save or skopeo copy … docker-archive:" + file.getFileName();
        try (TarFile tar = new TarFile(file)) {
            Map<String, TarArchiveEntry> entries = new HashMap<>();
            for (TarArchiveEntry e : tar.getEntries()) {
                entries.put(clean(e.getName()), e);
            }
            JsonNode images = JSON.readTree(bytes(tar, entries, "manifest.json", file, hint));
            if (images == null || !images.isArray() || images.size() != 1) {
                throw new CorruptImageException("cannot read " + reference + ": manifest.json of " + file + " must list "
                        + "exactly one image, it lists " + (images != null && images.isArray() ? images.size() : "none")
                        + hint);
            }
            JsonNode image = images.get(0);
            byte[] configBytes = bytes(tar, entries, image.path("Config").asText(""), file, hint);
            ImageConfig config = ImageJson.config(configBytes, "the config in " + file);
            Digest configDigest = store.put(configBytes, "the config of " + reference);
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode layerName : image.path("Layers")) {
                layers.add(importLayer(tar, entries, layerName.asText(), file, hint, reference));
            }
            checkDiffIds(config, layers, file, hint);
            return manifest(Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers);
        } catch (IOException e) {
            throw new CorruptImageException("cannot read " + reference + ": " + file + " is not a readable tar archive ("
                    + e.getMessage() + ")" + hint, e);
        }
    }

    private Descriptor importLayer(TarFile tar, Map<String, TarArchiveEntry> entries, String name, Path file,
                                   String hint, ImageReference reference) throws IOException {
        TarArchiveEntry entry = entry(entries, name, file, hint);
        String mediaType;
        try (InputStream in = new BufferedInputStream(tar.getInputStream(entry))) {
            in.mark(4);
            byte[] magic = in.readNBytes(4);
            in.reset();
            mediaType = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b ? MediaTypes.OCI_LAYER_GZIP
                    : magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5
                    && (magic[2] & 0xff) == 0x2f && (magic[3] & 0xff) == 0xfd ? MediaTypes.OCI_LAYER_ZSTD
                    : MediaTypes.OCI_LAYER;
            Digest digest = store.put(in, Optional.empty(), "layer " + name + " of " + reference);
            return Descriptor.of(mediaType, digest, entry.getSize());
        }
    }

    /** An uncompressed layer's digest is its diff ID: a cheap check that the archive is whole. */
    private static void checkDiffIds(ImageConfig config, List<Descriptor> layers, Path file, String hint) {
        if (config.diffIds().size() != layers.size()) {
            throw new CorruptImageException(file + " lists " + layers.size() + " layers but its config has "
                    + config.diffIds().size() + " diff IDs" + hint);
        }
        for (int i = 0; i < layers.size(); i++) {
            Descriptor layer = layers.get(i);
            if (layer.mediaType().equals(MediaTypes.OCI_LAYER) && !layer.digest().equals(config.diffIds().get(i))) {
                throw new BlobMismatchException("layer " + i + " of " + file, config.diffIds().get(i), layer.digest());
            }
        }
    }

    private byte[] manifest(Descriptor config, List<Descriptor> layers) {
        ObjectNode root = JSON.createObjectNode();
        root.put("schemaVersion", 2);
        root.put("mediaType", MediaTypes.OCI_MANIFEST);
        root.set("config", descriptor(config));
        var array = root.putArray("layers");
        layers.forEach(l -> array.add(descriptor(l)));
        byte[] bytes = root.toString().getBytes(StandardCharsets.UTF_8);
        store.put(bytes, "the manifest written for " + config.digest().shortForm());
        return bytes;
    }

    private static ObjectNode descriptor(Descriptor d) {
        ObjectNode node = JSON.createObjectNode();
        node.put("mediaType", d.mediaType());
        node.put("digest", d.digest().toString());
        node.put("size", d.size());
        return node;
    }

    private static byte[] bytes(TarFile tar, Map<String, TarArchiveEntry> entries, String name, Path file, String hint)
            throws IOException {
        try (InputStream in = tar.getInputStream(entry(entries, name, file, hint))) {
            return in.readNBytes(16 << 20);
        }
    }

    private static TarArchiveEntry entry(Map<String, TarArchiveEntry> entries, String name, Path file, String hint) {
        TarArchiveEntry e = entries.get(clean(name));
        if (e == null || !e.isFile()) {
            throw new CorruptImageException(file + " is not a complete docker archive: it has no file \"" + name + "\""
                    + hint);
        }
        return e;
    }

    private static String clean(String name) {
        return name.startsWith("./") ? name.substring(2) : name;
    }
}
