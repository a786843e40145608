package io.i2kit.discovery;

import io.i2kit.manifest.Application;
import java.util.Map;
import java.util.Optional;

/**
 * The application with every container's environment resolved, and the endpoint of every service
 * that exposes ports (in manifest order).
 */
public record Discovery(Application application, Map<String, ServiceEndpoint> endpoints) {
    public Discovery {
        endpoints = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(endpoints));
    }

    public Optional<ServiceEndpoint> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }
}
