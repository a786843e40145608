package io.i2kit.provider.local.lb;

import java.util.Map;
import java.util.Optional;

/**
 * A VM replica behind the load balancer: its id and, for each instance port, the host TCP port that
 * QEMU's hostfwd forwards to it on 127.0.0.1.
 */
public record Backend(String id, Map<Integer, Integer> hostPorts) {
    public Backend {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a backend needs an id");
        }
        hostPorts = Map.copyOf(hostPorts);
    }

    /** Where the backend's instance port is reached, if the VM forwards it. */
    public Optional<Endpoint> endpoint(int instancePort) {
        return Optional.ofNullable(hostPorts.get(instancePort)).map(Endpoint::tcp);
    }
}
