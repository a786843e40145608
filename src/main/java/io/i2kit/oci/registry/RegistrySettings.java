package io.i2kit.oci.registry;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How to talk to registries: which hosts the user allows over plain HTTP, and the logins.
 *
 * @param insecureHosts {@code host:port} (or bare host) entries reached over HTTP instead of HTTPS
 */
public record RegistrySettings(Set<String> insecureHosts, DockerConfig logins) {
    public static final String INSECURE_ENV = "I2KIT_INSECURE_REGISTRIES";

    public RegistrySettings {
        insecureHosts = Set.copyOf(insecureHosts);
    }

    /** {@value #INSECURE_ENV} (comma-separated) and the Docker config of the user. */
    public static RegistrySettings fromEnvironment(Map<String, String> env) {
        String insecure = env.getOrDefault(INSECURE_ENV, "");
        return new RegistrySettings(Arrays.stream(insecure.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                .collect(Collectors.toSet()), DockerConfig.fromEnvironment(env));
    }

    public boolean insecure(String host) {
        return insecureHosts.contains(host);
    }

    public RegistrySettings withInsecure(String host) {
        return new RegistrySettings(java.util.stream.Stream.concat(insecureHosts.stream(), java.util.stream.Stream.of(host))
                .collect(Collectors.toSet()), logins);
    }
}
