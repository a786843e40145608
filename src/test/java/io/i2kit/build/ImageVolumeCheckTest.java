package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.manifest.Container;
import io.i2kit.manifest.Mount;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.ImageReference;
import io.i2kit.oci.Platform;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageVolumeCheckTest {
    private static final ImageConfig REDIS = new ImageConfig(Platform.LINUX_AMD64, List.of(), List.of("redis-server"),
            List.of(), Optional.empty(), Optional.empty(), Map.of(), List.of(), List.of("/data", "/var/log/redis/"));

    private static Container container(List<Mount> mounts, List<String> binds) {
        return new Container("db", ImageReference.parse("redis:7").reference().orElseThrow(), List.of(), List.of(),
                Map.of(), List.of(), List.of(), List.of(), binds, false, Optional.empty(), Optional.empty(), mounts, Map.of());
    }

    @Test
    void warnsAboutEachDeclaredPathThatNoMountCovers() {
        assertThat(ImageVolumeCheck.uncovered(container(List.of(), List.of()), "redis:7", REDIS)).containsExactly(
                "warning: container db: image redis:7 declares VOLUME /data, which no mount covers: what it writes "
                        + "there is lost whenever the VM is replaced; add a volume to the service and mounts: "
                        + "[\"NAME:/data\"] to keep it",
                "warning: container db: image redis:7 declares VOLUME /var/log/redis/, which no mount covers: what it "
                        + "writes there is lost whenever the VM is replaced; add a volume to the service and mounts: "
                        + "[\"NAME:/var/log/redis\"] to keep it");
    }

    @Test
    void aMountOrABindAtThePathOrAboveItCoversIt() {
        Container covered = container(List.of(new Mount("data", "/data/", false)), List.of("/var/log:/var/log:ro"));
        assertThat(ImageVolumeCheck.uncovered(covered, "redis:7", REDIS)).isEmpty();
        Container beside = container(List.of(new Mount("data", "/dat", false)), List.of("/srv:/var/log/redis/x"));
        assertThat(ImageVolumeCheck.uncovered(beside, "redis:7", REDIS)).hasSize(2);
    }
}
