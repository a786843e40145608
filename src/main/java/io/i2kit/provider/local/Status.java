package io.i2kit.provider.local;

import java.util.List;
import java.util.Map;

/** What runs locally for one application: written to state.json and answered to {@code i2kit status}. */
public record Status(String application, long supervisorPid, List<ServiceStatus> services) {
    public Status {
        services = List.copyOf(services);
    }

    public record ServiceStatus(String name, String image, int replicas, boolean isPublic, Map<Integer, String> endpoints,
                                List<ReplicaStatus> running) {
        public ServiceStatus {
            endpoints = Map.copyOf(endpoints);
            running = List.copyOf(running);
        }
    }

    public record ReplicaStatus(String id, long pid, boolean alive, String health, String workDir) {
    }
}
