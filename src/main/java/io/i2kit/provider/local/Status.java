package io.i2kit.provider.local;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What runs locally for one application: written to state.json and answered to {@code i2kit status}.
 * {@code certificateAuthority}: the local CA's certificate file, when a balancer terminates TLS with it.
 */
public record Status(String application, long supervisorPid, List<ServiceStatus> services,
                     Optional<String> certificateAuthority) {
    public Status {
        services = List.copyOf(services);
        certificateAuthority = certificateAuthority == null ? Optional.empty() : certificateAuthority;
    }

    public Status(String application, long supervisorPid, List<ServiceStatus> services) {
        this(application, supervisorPid, services, Optional.empty());
    }

    /**
     * {@code endpoints}: load-balancer port → where it listens; {@code protocols}: what that endpoint
     * speaks to clients ({@code https} and {@code tls} where the balancer terminates TLS).
     */
    public record ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                                List<ReplicaStatus> running, Map<Integer, String> protocols) {
        public ServiceStatus {
            endpoints = Map.copyOf(endpoints);
            running = List.copyOf(running);
            protocols = protocols == null ? Map.of() : Map.copyOf(protocols); // absent from older state
        }

        public ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                             List<ReplicaStatus> running) {
            this(name, image, replicas, isPublic, endpoints, running, Map.of());
        }
    }

    public record ReplicaStatus(String id, long pid, boolean alive, String health, String workDir) {
    }
}
