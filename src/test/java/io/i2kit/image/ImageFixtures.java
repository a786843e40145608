package io.i2kit.image;

import io.i2kit.image.TestLayers.Stored;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.Platform;
import io.i2kit.oci.PulledImage;
import java.util.List;
import java.util.Map;
import java.util.Optional;

final class ImageFixtures {
    private ImageFixtures() {
    }

    static PulledImage pulled(List<Stored> layers) {
        ImageConfig config = new ImageConfig(Platform.LINUX_AMD64, List.of(), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Map.of(), layers.stream().map(Stored::diffId).toList());
        return new PulledImage("test/image:latest", Digest.of(new byte[] {2}), Digest.of(new byte[] {3}), config,
                layers.stream().map(Stored::descriptor).toList());
    }
}
