package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * The whole manifest, normalised: whatever file format it came from, the rest of the pipeline sees
 * only this. Services keep manifest order; {@code secrets} are the top-level declarations (a
 * container may also read a secret that is not declared).
 */
public record Application(String name, String domain, PackageProfile packages, DiscoveryScope discovery,
                          List<Service> services, List<SecretSpec> secrets) {
    public static final String DEFAULT_DOMAIN = "i2kit.internal";

    public Application {
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
    }

    /** The top-level declaration of {@code secretName}, if any. */
    public Optional<SecretSpec> secret(String secretName) {
        return secrets.stream().filter(s -> s.name().equals(secretName)).findFirst();
    }

    public Optional<Service> service(String serviceName) {
        return services.stream().filter(s -> s.name().equals(serviceName)).findFirst();
    }

    /** The private DNS zone holding the discovery names, e.g. {@code polls.i2kit.internal}. */
    public String zone() {
        return name + "." + domain;
    }

    public Application withServices(List<Service> newServices) {
        return new Application(name, domain, packages, discovery, newServices, secrets);
    }
}
