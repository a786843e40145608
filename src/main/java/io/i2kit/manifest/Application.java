package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * The whole manifest, normalised: whatever file format it came from, the rest of the pipeline sees
 * only this. Services keep manifest order; {@code secrets} are the top-level declarations (a
 * container may also read a secret that is not declared). {@code logRetentionDays} is how long a
 * cloud keeps the services' central logs.
 */
public record Application(String name, String domain, PackageProfile packages, DiscoveryScope discovery,
                          List<Service> services, List<SecretSpec> secrets, int logRetentionDays) {
    public static final String DEFAULT_DOMAIN = "i2kit.internal";
    public static final int DEFAULT_LOG_RETENTION_DAYS = 30;
    /** The retention periods CloudWatch Logs accepts, in days. */
    public static final List<Integer> LOG_RETENTION_DAYS = List.of(1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365,
            400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653);

    public Application {
        services = List.copyOf(services);
        secrets = List.copyOf(secrets);
    }

    public Application(String name, String domain, PackageProfile packages, DiscoveryScope discovery,
                       List<Service> services, List<SecretSpec> secrets) {
        this(name, domain, packages, discovery, services, secrets, DEFAULT_LOG_RETENTION_DAYS);
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
        return new Application(name, domain, packages, discovery, newServices, secrets, logRetentionDays);
    }
}
