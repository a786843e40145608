package io.i2kit.lock;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageSource;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Function;

/**
 * Lets the lock resolve through an {@link ImageSource}. Local sources resolve paths against the
 * manifest's directory, so the source is made for the directory each call names.
 */
public final class ImageSourceResolver implements DigestResolver {
    private final Function<Path, ImageSource> sourceFor;

    public ImageSourceResolver(Function<Path, ImageSource> sourceFor) {
        this.sourceFor = sourceFor;
    }

    @Override
    public Optional<String> resolve(ImageReference reference, Path manifestDirectory) {
        return sourceFor.apply(manifestDirectory).resolve(reference).map(Digest::toString);
    }
}
