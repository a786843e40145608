package io.i2kit.oci;

import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Picks the manifest for a platform out of an index, the way a container runtime does. */
public final class PlatformSelector {
    private PlatformSelector() {
    }

    /**
     * The first entry whose platform matches; entries without a platform (attestations, for
     * example) are never chosen. The error lists what the index offers.
     */
    public static Descriptor select(ImageIndex index, Platform wanted, String what) {
        for (Descriptor d : index.manifests()) {
            if (d.platform().isPresent() && wanted.matches(d.platform().get())
                    && MediaTypes.MANIFESTS.contains(d.mediaType())) {
                return d;
            }
        }
        List<String> offered = index.manifests().stream().map(Descriptor::platform).flatMap(Optional::stream)
                .map(Platform::toString).distinct().sorted().toList();
        throw new PlatformNotFoundException(what + " has no image for " + wanted + "; its index offers "
                + (offered.isEmpty() ? "no platform at all" : offered.stream().collect(Collectors.joining(", ")))
                + "; use an image built for " + wanted);
    }
}
