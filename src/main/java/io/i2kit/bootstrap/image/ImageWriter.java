package io.i2kit.bootstrap.image;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.oci.Platform;
import io.i2kit.oci.store.BlobStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Stores a one-layer linux/amd64 image (layer, config, manifest) in a blob store. The JSON has a
 * fixed key order and no creation time, so equal inputs give equal digests.
 */
public final class ImageWriter {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageWriter() {
    }

    /** The stored image: its manifest descriptor (with platform) and its total size in the store. */
    public record Written(Descriptor manifest, Digest config, Layer layer) {
        public long totalSize() {
            return manifest.size() + layer.size();
        }
    }

    public static Written write(BlobStore store, Layer layer, ImageSettings settings, String what) {
        Digest layerDigest = store.put(new java.io.ByteArrayInputStream(layer.gzip()), Optional.of(layer.digest()), what + " layer");
        byte[] config = bytes(config(layer, settings));
        Digest configDigest = store.put(config, what + " config");
        ObjectNode manifest = JSON.createObjectNode();
        manifest.put("schemaVersion", 2);
        manifest.put("mediaType", MediaTypes.OCI_MANIFEST);
        manifest.set("config", descriptor(MediaTypes.OCI_CONFIG, configDigest, config.length));
        manifest.putArray("layers").add(descriptor(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.size()));
        byte[] manifestBytes = bytes(manifest);
        Digest manifestDigest = store.put(manifestBytes, what + " manifest");
        Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, manifestDigest, manifestBytes.length, java.util.Map.of(),
                Optional.of(Platform.LINUX_AMD64));
        return new Written(d, configDigest, layer);
    }

    private static ObjectNode config(Layer layer, ImageSettings s) {
        ObjectNode root = JSON.createObjectNode();
        root.put("architecture", Platform.LINUX_AMD64.architecture());
        root.put("os", Platform.LINUX_AMD64.os());
        ObjectNode config = root.putObject("config");
        if (!s.user().isEmpty()) {
            config.put("User", s.user().get());
        }
        if (!s.exposedPorts().isEmpty()) {
            ObjectNode ports = config.putObject("ExposedPorts");
            s.exposedPorts().stream().sorted().forEach(p -> ports.putObject(p));
        }
        if (!s.env().isEmpty()) {
            ArrayNode env = config.putArray("Env");
            s.env().forEach(env::add);
        }
        if (!s.entrypoint().isEmpty()) {
            ArrayNode entrypoint = config.putArray("Entrypoint");
            s.entrypoint().forEach(entrypoint::add);
        }
        if (!s.cmd().isEmpty()) {
            ArrayNode cmd = config.putArray("Cmd");
            s.cmd().forEach(cmd::add);
        }
        s.workingDir().ifPresent(w -> config.put("WorkingDir", w));
        if (!s.labels().isEmpty()) {
            ObjectNode labels = config.putObject("Labels");
            s.labels().forEach(labels::put);
        }
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layer.diffId().toString());
        root.putArray("history").addObject().put("created_by", "i2kit bootstrap (from Debian packages)");
        return root;
    }

    static ObjectNode descriptor(String mediaType, Digest digest, long size) {
        ObjectNode d = JSON.createObjectNode();
        d.put("mediaType", mediaType);
        d.put("digest", digest.toString());
        d.put("size", size);
        return d;
    }

    private static byte[] bytes(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node).getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree of strings always serializes", e);
        }
    }
}
