package io.i2kit.manifest;

import io.i2kit.oci.ImageReference;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container of a pod. {@code command}/{@code entrypoint} are empty when the image's own apply;
 * {@code environment} keeps manifest order.
 * {@code secrets} maps an environment variable to the name of the secret that sets it (and that the
 * container also finds as {@code /run/secrets/NAME}); values never enter the model.
 */
public record Container(String name, ImageReference image, List<String> entrypoint, List<String> command,
                        Map<String, String> environment, List<Port> ports, List<String> capabilities,
                        List<String> capDrop, List<String> binds, boolean readonly, Optional<String> user,
                        Optional<String> workingDir, List<Mount> mounts, Map<String, String> secrets) {
    /** Where a container finds its secrets as files, as Docker and Kubernetes put them. */
    public static final String SECRETS_PATH = "/run/secrets";

    public Container {
        entrypoint = List.copyOf(entrypoint);
        command = List.copyOf(command);
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        ports = List.copyOf(ports);
        capabilities = List.copyOf(capabilities);
        capDrop = List.copyOf(capDrop);
        binds = List.copyOf(binds);
        mounts = List.copyOf(mounts);
        secrets = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secrets));
    }

    public Container withEnvironment(Map<String, String> newEnvironment) {
        return new Container(name, image, entrypoint, command, newEnvironment, ports, capabilities, capDrop, binds,
                readonly, user, workingDir, mounts, secrets);
    }

    public Container withImage(ImageReference newImage) {
        return new Container(name, newImage, entrypoint, command, environment, ports, capabilities, capDrop, binds,
                readonly, user, workingDir, mounts, secrets);
    }
}
