package io.i2kit.oci;

import io.i2kit.event.Progress;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.registry.DockerConfig;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.BlobStore;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageSourcesTest {
    private static final Digest D = new Digest("d".repeat(64));

    @TempDir
    Path dir;

    private static ImageReference ref(String text) {
        return ImageReference.parse(text).reference().orElseThrow();
    }

    /** A source serving one registry host only, answering {@link #D}. */
    private static ImageSource serving(String host) {
        return new ImageSource() {
            @Override
            public Optional<Digest> resolve(ImageReference reference) {
                return host.equals(reference.registry()) ? Optional.of(D) : Optional.empty();
            }

            @Override
            public Optional<PulledImage> pull(ImageReference r, Optional<Digest> p, Platform pl, Progress pr) {
                return Optional.empty();
            }
        };
    }

    @Test
    void theFirstSourceThatServesAReferenceAnswers() {
        ImageSources sources = new ImageSources(List.of(serving("a.example"), serving("b.example")));
        assertThat(sources.resolve(ref("b.example/x:1"))).contains(D);
        assertThat(sources.resolve(ref("c.example/x:1"))).isEmpty();
    }

    @Test
    void aReferenceNoSourceServesIsAClearError() {
        ImageSources sources = ImageSources.standard(new io.i2kit.oci.store.I2kitHome(dir), dir,
                new RegistrySettings(Set.of(), DockerConfig.EMPTY));
        // i2kit.local names base packages i2kit builds itself: no registry is asked for them.
        assertThatThrownBy(() -> sources.requireDigest(ref("i2kit.local/kernel:bookworm")))
                .isInstanceOf(ImageNotFoundException.class)
                .hasMessage("docker.io/library/x:1 is not in the local store".replace("docker.io/library/x:1",
                        "i2kit.local/kernel:bookworm") + " " + dir + "; build the offline base packages with: i2kit bootstrap");
        assertThatThrownBy(() -> sources.requireImage(ref("i2kit.local/init:bookworm"), Optional.empty(),
                Platform.LINUX_AMD64, Progress.NONE)).isInstanceOf(ImageNotFoundException.class);
    }
}
