package io.i2kit.lock;

import io.i2kit.oci.ImageReference;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds the manifest digest a reference points to today. Each image source (OCI layout, registry,
 * local store) has one; a resolver answers empty for references it does not serve.
 */
public interface DigestResolver {
    Optional<String> resolve(ImageReference reference, Path manifestDirectory);
}
