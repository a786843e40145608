package io.i2kit.provider.local.lb;

import java.util.Map;
import java.util.Optional;

/**
 * A VM replica behind the load balancer: its id and, for each instance port, the host TCP port that
 * QEMU's hostfwd forwards to it on 127.0.0.1.
 *
 * @param forwards what QEMU knows of the connections it forwards, so that a TCP check can tell a
 *                 guest that accepted from a hostfwd that merely holds the connection; empty for a
 *                 backend that is a plain host process
 */
public record Backend(String id, Map<Integer, Integer> hostPorts, Optional<ForwardedConnections> forwards) {
    public Backend {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a backend needs an id");
        }
        hostPorts = Map.copyOf(hostPorts);
    }

    /** A plain host process: its own TCP connect proves it listens. */
    public Backend(String id, Map<Integer, Integer> hostPorts) {
        this(id, hostPorts, Optional.empty());
    }

    /** Where the backend's instance port is reached, if the VM forwards it. */
    public Optional<Endpoint> endpoint(int instancePort) {
        return Optional.ofNullable(hostPorts.get(instancePort)).map(Endpoint::tcp);
    }
}
