package io.i2kit.discovery;

import io.i2kit.manifest.Application;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.DiscoveryScope;
import io.i2kit.manifest.Service;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The application with every {@code ${service.attribute}} placeholder resolved, the endpoint of
 * every service that exposes ports (in manifest order), and the services each service is told
 * about ({@link #uses}). The announced variables are derived on demand rather than stored per
 * container: under {@code discovery: all} every container receives those of every other service,
 * so storing them would grow with the square of the application's size.
 *
 * @param uses per service, the services with ports it is told about, in manifest order, never itself
 */
public record Discovery(Application application, Map<String, ServiceEndpoint> endpoints,
                        Map<String, List<String>> uses, Map<String, List<Map.Entry<String, String>>> announced) {
    public Discovery {
        endpoints = Collections.unmodifiableMap(new LinkedHashMap<>(endpoints));
        Map<String, List<String>> copy = new LinkedHashMap<>();
        uses.forEach((service, used) -> copy.put(service, List.copyOf(used)));
        uses = Collections.unmodifiableMap(copy);
        announced = Collections.unmodifiableMap(new LinkedHashMap<>(announced));
    }

    public Discovery(Application application, Map<String, ServiceEndpoint> endpoints, Map<String, Set<String>> used) {
        this(application, endpoints, uses(application, endpoints, used), announce(endpoints));
    }

    /** From the services' declared {@code uses} alone, for an application whose placeholders are resolved. */
    public Discovery(Application application, Map<String, ServiceEndpoint> endpoints) {
        this(application, endpoints, declared(application));
    }

    private static Map<String, Set<String>> declared(Application application) {
        Map<String, Set<String>> used = new LinkedHashMap<>();
        application.services().forEach(s -> used.put(s.name(), new LinkedHashSet<>(s.uses())));
        return used;
    }

    /**
     * What each service is told about: under {@code all}, every other service with ports; else what
     * it uses, in manifest order whatever order it was written in, so that only a change to those
     * services changes its image.
     */
    private static Map<String, List<String>> uses(Application application, Map<String, ServiceEndpoint> endpoints,
                                                  Map<String, Set<String>> used) {
        Map<String, List<String>> uses = new LinkedHashMap<>();
        for (Service s : application.services()) {
            Set<String> wanted = used.getOrDefault(s.name(), Set.of());
            uses.put(s.name(), endpoints.keySet().stream().filter(other -> !other.equals(s.name()))
                    .filter(other -> application.discovery() == DiscoveryScope.ALL || wanted.contains(other)).toList());
        }
        return uses;
    }

    /** Each service's three variables, built once: every container using it receives the same strings. */
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

    /** The services with ports {@code service} is told about, in manifest order. */
    public List<String> uses(String service) {
        return uses.getOrDefault(service, List.of());
    }

    /**
     * The environment {@code container} of {@code service} runs with: its own variables first, then
     * {@code NAME_HOST}, {@code NAME_PORT} and {@code NAME_ENDPOINT} of each service it
     * {@linkplain #uses(String) uses}, in manifest order; a variable the user set wins.
     */
    public Map<String, String> environment(Service service, Container container) {
        List<String> used = uses(service.name());
        Map<String, String> env = new LinkedHashMap<>(container.environment().size() + used.size() * 4);
        env.putAll(container.environment());
        for (String other : used) {
            announced.get(other).forEach(v -> env.putIfAbsent(v.getKey(), v.getValue()));
        }
        return env;
    }
}
