package io.i2kit.oci;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the builder needs of an image's config blob: the process defaults LinuxKit merges with the
 * YAML, the labels (LinuxKit packages keep their defaults in {@code org.mobyproject.config}), and
 * the layers' uncompressed digests; {@code volumes}, the paths the image declares {@code VOLUME}
 * for (where it expects data worth keeping), sorted.
 */
public record ImageConfig(Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
                          Optional<String> workingDir, Optional<String> user, Map<String, String> labels,
                          List<Digest> diffIds, List<String> volumes) {
    public ImageConfig {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        labels = Map.copyOf(labels);
        diffIds = List.copyOf(diffIds);
        volumes = List.copyOf(volumes);
    }

    /** An image that declares no {@code VOLUME}. */
    public ImageConfig(Platform platform, List<String> entrypoint, List<String> cmd, List<String> env,
                       Optional<String> workingDir, Optional<String> user, Map<String, String> labels,
                       List<Digest> diffIds) {
        this(platform, entrypoint, cmd, env, workingDir, user, labels, diffIds, List.of());
    }
}
