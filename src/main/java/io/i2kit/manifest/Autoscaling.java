package io.i2kit.manifest;

import java.util.Optional;

/**
 * {@code replicas: {min, max, cpu | requests_per_target}}: the replica count follows one target, as
 * AWS's target tracking does. The service starts with {@code min}; exactly one target is set.
 */
public record Autoscaling(int min, int max, Optional<Integer> cpuPercent, Optional<Integer> requestsPerTarget) {
    public Autoscaling {
        if (cpuPercent.isPresent() == requestsPerTarget.isPresent()) {
            throw new IllegalArgumentException("exactly one target: cpu or requests_per_target");
        }
    }

    /** The target as the manifest writes it, e.g. {@code cpu 60%}. */
    public String describeTarget() {
        return cpuPercent.map(c -> "cpu " + c + "%")
                .orElseGet(() -> requestsPerTarget.orElseThrow() + " requests per target per minute");
    }
}
