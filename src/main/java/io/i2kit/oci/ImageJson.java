package io.i2kit.oci;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the JSON documents of OCI and Docker schema 2 images (index, manifest, config) into
 * i2kit's records. Shared by every image source so that a registry, a layout and an archive are
 * held to the same rules.
 */
public final class ImageJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageJson() {
    }

    /**
     * Parses a manifest or index. {@code contentType} is the media type the transport announced
     * (a registry's Content-Type), used when the document does not name its own.
     */
    public static ImageDocument document(byte[] bytes, Optional<String> contentType, String what) {
        JsonNode root = tree(bytes, what);
        if (root.path("schemaVersion").asInt() != 2) {
            throw new CorruptImageException(what + " is not a schema 2 manifest (schemaVersion "
                    + root.path("schemaVersion") + "); Docker schema 1 images are not supported, push the image again "
                    + "with a current client");
        }
        String mediaType = text(root, "mediaType").or(() -> contentType.map(ImageJson::bareType))
                .orElse(root.has("manifests") ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST);
        if (MediaTypes.INDEXES.contains(mediaType)) {
            List<Descriptor> manifests = new ArrayList<>();
            for (JsonNode m : array(root, "manifests", what)) {
                manifests.add(descriptor(m, what + " manifests[" + manifests.size() + "]"));
            }
            return new ImageIndex(mediaType, manifests);
        }
        if (MediaTypes.MANIFESTS.contains(mediaType)) {
            if (!root.path("config").isObject()) {
                throw new CorruptImageException(what + " has no config descriptor");
            }
            List<Descriptor> layers = new ArrayList<>();
            for (JsonNode l : array(root, "layers", what)) {
                layers.add(descriptor(l, what + " layers[" + layers.size() + "]"));
            }
            return new ImageManifest(mediaType, descriptor(root.get("config"), what + " config"), layers);
        }
        throw new CorruptImageException(what + " has media type \"" + mediaType + "\", which is neither an image "
                + "manifest nor an index (i2kit reads " + String.join(", ", MediaTypes.MANIFESTS) + ", "
                + String.join(", ", MediaTypes.INDEXES) + ")");
    }

    /** Parses an image config blob (OCI or Docker; their field names are the same). */
    public static ImageConfig config(byte[] bytes, String what) {
        JsonNode root = tree(bytes, what);
        Platform platform = new Platform(root.path("os").asText(""), root.path("architecture").asText(""),
                text(root, "variant"));
        JsonNode c = root.path("config");
        Map<String, String> labels = new LinkedHashMap<>();
        c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
        List<Digest> diffIds = new ArrayList<>();
        for (JsonNode d : root.path("rootfs").path("diff_ids")) {
            diffIds.add(digest(d.asText(), what + " rootfs.diff_ids[" + diffIds.size() + "]"));
        }
        java.util.SortedSet<String> volumes = new java.util.TreeSet<>();
        c.path("Volumes").fieldNames().forEachRemaining(volumes::add);
        return new ImageConfig(platform, strings(c.path("Entrypoint")), strings(c.path("Cmd")), strings(c.path("Env")),
                text(c, "WorkingDir").filter(s -> !s.isEmpty()), text(c, "User").filter(s -> !s.isEmpty()),
                labels, diffIds, List.copyOf(volumes));
    }

    static Descriptor descriptor(JsonNode node, String what) {
        String mediaType = text(node, "mediaType").orElseThrow(
                () -> new CorruptImageException(what + " has no mediaType"));
        Digest digest = digest(text(node, "digest").orElse(""), what);
        if (!node.path("size").canConvertToLong() || node.path("size").asLong(-1) < 0) {
            throw new CorruptImageException(what + " has no valid size");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        node.path("annotations").fields().forEachRemaining(e -> annotations.put(e.getKey(), e.getValue().asText()));
        Optional<Platform> platform = node.path("platform").isObject()
                ? Optional.of(new Platform(node.path("platform").path("os").asText(""),
                        node.path("platform").path("architecture").asText(""), text(node.path("platform"), "variant")))
                : Optional.empty();
        return new Descriptor(mediaType, digest, node.path("size").asLong(), annotations, platform);
    }

    private static Digest digest(String text, String what) {
        try {
            return Digest.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CorruptImageException(what + ": " + e.getMessage());
        }
    }

    private static JsonNode tree(byte[] bytes, String what) {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (root == null || !root.isObject()) {
                throw new CorruptImageException(what + " is not a JSON object");
            }
            return root;
        } catch (JsonProcessingException e) {
            throw new CorruptImageException(what + " is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new CorruptImageException("cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String field, String what) {
        if (!root.path(field).isArray()) {
            throw new CorruptImageException(what + " has no \"" + field + "\" list");
        }
        return root.get(field);
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode v = node.path(field);
        return v.isTextual() ? Optional.of(v.asText()) : Optional.empty();
    }

    private static List<String> strings(JsonNode node) {
        List<String> out = new ArrayList<>();
        node.forEach(n -> out.add(n.asText()));
        return out;
    }

    /** {@code application/json; charset=utf-8} → {@code application/json}. */
    private static String bareType(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).trim();
    }
}
