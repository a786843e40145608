package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.linuxkit.ContainerTemplate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BundleSpecMountsTest {
    private static ContainerTemplate container(List<String> binds, boolean readonlyRoot) {
        return new ContainerTemplate("db", "redis", Optional.of(List.of("redis-server")), Optional.empty(),
                Optional.of(List.of()), List.of(), Optional.of(binds), List.of(), List.of(), Optional.of("host"),
                Optional.empty(), Optional.of(readonlyRoot), Optional.empty(), Optional.empty(), Optional.empty());
    }

    private static List<String> options(ObjectNode mount) {
        return java.util.stream.StreamSupport.stream(mount.path("options").spliterator(), false)
                .map(n -> n.asText()).toList();
    }

    @Test
    void aVolumeMountIsABindOfTheInitsMountPointReadOnlyWhenAsked() {
        for (boolean readonlyRoot : new boolean[] {false, true}) {
            Map<String, ObjectNode> mounts = BundleSpec.mounts(container(List.of("/run/i2kit/volumes/data:/data:rw",
                    "/run/i2kit/volumes/data:/backup:ro"), readonlyRoot));
            assertThat(mounts.get("/data").path("type").asText()).isEqualTo("bind");
            assertThat(mounts.get("/data").path("source").asText()).isEqualTo("/run/i2kit/volumes/data");
            assertThat(options(mounts.get("/data"))).containsExactly("rw", "rbind");
            assertThat(options(mounts.get("/backup"))).containsExactly("ro", "rbind");
        }
    }
}
