package io.i2kit.manifest;

import java.util.Locale;
import java.util.Optional;

/**
 * Which services a service is announced to ({@code NAME_HOST}, {@code NAME_PORT},
 * {@code NAME_ENDPOINT}, and a name in the VM's hosts file where the target needs one).
 */
public enum DiscoveryScope {
    /**
     * To the services that use it ({@code uses}, or a {@code ${service.…}} reference): a service's
     * image then changes only when what it uses changes. The default.
     */
    USED,
    /**
     * To every other service, as in the paper: for code that looks variables up by name at run
     * time. Any change to the set of services with ports rebuilds and replaces every service.
     */
    ALL;

    public static Optional<DiscoveryScope> parse(String text) {
        for (DiscoveryScope s : values()) {
            if (s.lower().equals(text)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
