package io.i2kit.build;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.i2kit.oci.Digest;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What an image was built from, written beside it: the service, the LinuxKit YAML's digest, every
 * image reference with the manifest digest it resolved to, the output settings and sizes. The
 * image digest identifies the kernel, initrd and cmdline: {@link #imageDigest}.
 */
public record BuildRecord(String application, String service, String image, String linuxkitYaml,
                          SortedMap<String, String> images, String compression, Map<String, Long> sizes,
                          String builder) {
    public static final String FILE = "build.json";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public BuildRecord {
        images = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(images));
        sizes = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(sizes));
    }

    /**
     * An image's identity: SHA-256 over its kernel's digest, its initrd's digest and its cmdline,
     * one per line. raw-efi is a packaging of this identity, so it does not enter it.
     */
    public static Digest imageDigest(Digest kernel, Digest initrd, String cmdline) {
        String identity = "kernel " + kernel + "\ninitrd " + initrd + "\ncmdline " + cmdline + "\n";
        return Digest.of(identity.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a record of strings always serialises", e);
        }
    }

    public static BuildRecord fromJson(String json) {
        try {
            return JSON.readValue(json, BuildRecord.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new io.i2kit.I2kitException("a build record is damaged: " + e.getOriginalMessage(), e);
        }
    }
}
