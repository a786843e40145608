package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * The whole manifest, normalised: whatever file format it came from, the rest of the pipeline sees
 * only this. Services keep manifest order.
 */
public record Application(String name, String domain, PackageProfile packages, DiscoveryScope discovery,
                          List<Service> services) {
    public static final String DEFAULT_DOMAIN = "i2kit.internal";

    public Application {
        services = List.copyOf(services);
    }

    public Optional<Service> service(String serviceName) {
        return services.stream().filter(s -> s.name().equals(serviceName)).findFirst();
    }

    /** The private DNS zone holding the discovery names, e.g. {@code polls.i2kit.internal}. */
    public String zone() {
        return name + "." + domain;
    }

    public Application withServices(List<Service> newServices) {
        return new Application(name, domain, packages, discovery, newServices);
    }
}
