package io.i2kit.oci.store;

import java.nio.file.Path;
import java.util.Map;

/**
 * {@code $I2KIT_HOME} (default {@code ~/.i2kit}): everything i2kit keeps between runs. Its root is
 * an OCI image layout ({@code oci-layout}, {@code index.json}, {@code blobs/sha256/}), so the blob
 * store and the locally built base packages are readable by any OCI tool.
 */
public record I2kitHome(Path root) {
    public static I2kitHome fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static I2kitHome fromEnvironment(Map<String, String> env) {
        String configured = env.get("I2KIT_HOME");
        if (configured != null && !configured.isBlank()) {
            return new I2kitHome(Path.of(configured).toAbsolutePath());
        }
        return new I2kitHome(Path.of(System.getProperty("user.home"), ".i2kit"));
    }

    public BlobStore blobs() {
        return new BlobStore(root);
    }

    /** Unpacked layers, keyed by the digest of their uncompressed tar. */
    public Path layers() {
        return root.resolve("layers");
    }

    /** Build records and outputs, keyed by image digest. */
    public Path builds() {
        return root.resolve("builds");
    }

    /** Scratch space on the same file system as the store, so finished files can be renamed in. */
    public Path tmp() {
        return root.resolve("tmp");
    }
}
