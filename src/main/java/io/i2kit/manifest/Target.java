package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * What depends on where the application runs, read from an environment file ({@code -e aws.yml}).
 * Nothing here may change an image: only providers read it.
 */
public record Target(Provider provider, Optional<String> region, Optional<String> vpc, List<String> subnets,
                     Optional<String> publicZone, Optional<String> certificate, Optional<String> keyPair) {
    public enum Provider { LOCAL, AWS }

    public static final Target LOCAL = new Target(Provider.LOCAL, Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty());

    public Target {
        subnets = List.copyOf(subnets);
    }
}
