package io.i2kit.provider.local.lb;

import java.util.Map;
import java.util.Optional;

/**
 * A VM replica behind the load balancer: its id and, for each instance port, the endpoint that
 * reaches it (for a VM, the owner-only socket file of its relay).
 *
 * @param forwards what QEMU knows of the connections it forwards, so that a TCP check can tell a
 *                 guest that accepted from a hostfwd that merely holds the connection; empty for a
 *                 backend that is a plain host process
 */
public record Backend(String id, Map<Integer, Endpoint> endpoints, Optional<ForwardedConnections> forwards) {
    public Backend {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("a backend needs an id");
        }
        endpoints = Map.copyOf(endpoints);
    }

    /** A plain host process on TCP ports of 127.0.0.1: its own connect proves it listens. */
    public static Backend tcp(String id, Map<Integer, Integer> hostPorts) {
        Map<Integer, Endpoint> endpoints = new java.util.HashMap<>();
        hostPorts.forEach((instancePort, hostPort) -> endpoints.put(instancePort, Endpoint.tcp(hostPort)));
        return new Backend(id, endpoints, Optional.empty());
    }

    /** Where the backend's instance port is reached, if the VM forwards it. */
    public Optional<Endpoint> endpoint(int instancePort) {
        return Optional.ofNullable(endpoints.get(instancePort));
    }
}
