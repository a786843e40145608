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
     * @param replicas  the VMs the supervisor keeps now (for an autoscaled service, its desired count)
     * @param endpoints load-balancer port → where it listens
     * @param scaling   the autoscaler's view; empty for a fixed count
     * @param protocols what each endpoint speaks to clients ({@code https} and {@code tls} where the
     *                  balancer terminates TLS)
     */
    public record ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                                List<ReplicaStatus> running, Optional<Scaling> scaling, Map<Integer, String> protocols) {
        public ServiceStatus {
            endpoints = Map.copyOf(endpoints);
            running = List.copyOf(running);
            scaling = scaling == null ? Optional.empty() : scaling;
            protocols = protocols == null ? Map.of() : Map.copyOf(protocols); // absent from older state
        }

        public ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                             List<ReplicaStatus> running, Optional<Scaling> scaling) {
            this(name, image, replicas, isPublic, endpoints, running, scaling, Map.of());
        }

        public ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                             List<ReplicaStatus> running, Map<Integer, String> protocols) {
            this(name, image, replicas, isPublic, endpoints, running, Optional.empty(), protocols);
        }

        public ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                             List<ReplicaStatus> running) {
            this(name, image, replicas, isPublic, endpoints, running, Optional.empty(), Map.of());
        }
    }

    /**
     * An autoscaled service: its range and target, the VMs it wants ({@code desired}) and runs
     * ({@code current}), its replicas' average CPU over the last window (empty until one was in
     * service for a whole window) and what the autoscaler last decided.
     *
     * @param metric {@code cpu} (percent of the VMs' vCPUs), or {@code requests_per_target}, which
     *               is not scaled locally
     */
    public record Scaling(int min, int max, String metric, int target, int desired, int current,
                          Optional<Double> cpuPercent, String decision) {
    }

    public record ReplicaStatus(String id, long pid, boolean alive, String health, String workDir) {
    }
}
