package io.i2kit.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlatformSelectorTest {
    private static Descriptor entry(char hex, String mediaType, Platform p) {
        return new Descriptor(mediaType, new Digest(String.valueOf(hex).repeat(64)), 1, Map.of(), Optional.ofNullable(p));
    }

    private static final Platform ARM_V7 = new Platform("linux", "arm", Optional.of("v7"));
    private static final ImageIndex INDEX = new ImageIndex(MediaTypes.OCI_INDEX, List.of(
            entry('a', MediaTypes.OCI_MANIFEST, ARM_V7),
            entry('b', MediaTypes.OCI_MANIFEST, new Platform("linux", "arm64", Optional.empty())),
            entry('c', MediaTypes.OCI_MANIFEST, Platform.LINUX_AMD64),
            entry('d', MediaTypes.OCI_MANIFEST, new Platform("unknown", "unknown", Optional.empty())),
            entry('e', MediaTypes.OCI_MANIFEST, null)));

    @Test
    void choosesTheEntryOfThePlatform() {
        assertThat(PlatformSelector.select(INDEX, Platform.LINUX_AMD64, "x").digest().hex()).startsWith("c");
        assertThat(PlatformSelector.select(INDEX, Platform.LINUX_ARM64, "x").digest().hex()).startsWith("b");
        assertThat(PlatformSelector.select(INDEX, ARM_V7, "x").digest().hex()).startsWith("a");
    }

    @Test
    void aMissingPlatformListsTheOnesOffered() {
        Platform s390 = new Platform("linux", "s390x", Optional.empty());
        assertThatThrownBy(() -> PlatformSelector.select(INDEX, s390, "redis:7"))
                .isInstanceOf(PlatformNotFoundException.class)
                .hasMessage("redis:7 has no image for linux/s390x; its index offers linux/amd64, linux/arm/v7, linux/arm64, "
                        + "unknown/unknown; use an image built for linux/s390x");
        assertThatThrownBy(() -> PlatformSelector.select(new ImageIndex(MediaTypes.OCI_INDEX, List.of()), s390, "e"))
                .hasMessageContaining("offers no platform at all");
    }
}
