package io.i2kit.bootstrap.image;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** The process defaults and labels written into an image's config. */
public record ImageSettings(List<String> entrypoint, List<String> cmd, List<String> env, Optional<String> workingDir,
                            Optional<String> user, List<String> exposedPorts, SortedMap<String, String> labels) {
    public ImageSettings {
        entrypoint = List.copyOf(entrypoint);
        cmd = List.copyOf(cmd);
        env = List.copyOf(env);
        exposedPorts = List.copyOf(exposedPorts);
        labels = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(labels));
    }

    public static final ImageSettings NONE = new ImageSettings(List.of(), List.of(), List.of(), Optional.empty(),
            Optional.empty(), List.of(), new TreeMap<>());

    public ImageSettings withLabels(Map<String, String> more) {
        TreeMap<String, String> all = new TreeMap<>(labels);
        all.putAll(more);
        return new ImageSettings(entrypoint, cmd, env, workingDir, user, exposedPorts, all);
    }
}
