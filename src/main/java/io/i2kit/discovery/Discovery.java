package io.i2kit.discovery;

import io.i2kit.manifest.Application;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.Service;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The application with every {@code ${service.attribute}} placeholder resolved, and the endpoint of
 * every service that exposes ports (in manifest order). The announced variables are derived on
 * demand rather than stored per container: every container receives those of every other service,
 * so storing them would grow with the square of the application's size.
 */
public record Discovery(Application application, Map<String, ServiceEndpoint> endpoints,
                        Map<String, List<Map.Entry<String, String>>> announced) {
    public Discovery {
        endpoints = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        announced = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(announced));
    }

    public Discovery(Application application, Map<String, ServiceEndpoint> endpoints) {
        this(application, endpoints, announce(endpoints));
    }

    /** Each service's three variables, built once: every other container receives the same strings. */
    private static Map<String, List<Map.Entry<String, String>>> announce(Map<String, ServiceEndpoint> endpoints) {
        Map<String, List<Map.Entry<String, String>>> announced = new LinkedHashMap<>();
        endpoints.forEach((service, e) -> announced.put(service, List.of(
                Map.entry(e.variablePrefix() + "_HOST", e.host()),
                Map.entry(e.variablePrefix() + "_PORT", Integer.toString(e.port())),
                Map.entry(e.variablePrefix() + "_ENDPOINT", e.endpoint()))));
        return announced;
    }

    public Optional<ServiceEndpoint> endpoint(String service) {
        return Optional.ofNullable(endpoints.get(service));
    }

    /**
     * The environment {@code container} of {@code service} runs with: its own variables first, then
     * {@code NAME_HOST}, {@code NAME_PORT} and {@code NAME_ENDPOINT} of every other service with
     * ports, in manifest order; a variable the user set wins.
     */
    public Map<String, String> environment(Service service, Container container) {
        Map<String, String> env = new LinkedHashMap<>(container.environment().size() + announced.size() * 4);
        env.putAll(container.environment());
        announced.forEach((other, variables) -> {
            if (!other.equals(service.name())) {
                variables.forEach(v -> env.putIfAbsent(v.getKey(), v.getValue()));
            }
        });
        return env;
    }
}
