package io.i2kit.cloudformation;

import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.Optional;

/**
 * The name a public service answers to in the environment's public zone: its {@code hostname}
 * (which may be the zone apex), else {@code <service>.<zone>}.
 */
record PublicName(String host, String zone) {
    /** Present for a public service with ports on a target with a public zone. */
    static Optional<PublicName> of(Service service, Target target) {
        if (!service.isPublic() || service.ports().isEmpty() || target.publicZone().isEmpty()) {
            return Optional.empty();
        }
        String zone = stripDot(target.publicZone().get());
        return Optional.of(new PublicName(service.hostname().map(PublicName::stripDot).orElse(service.name() + "." + zone),
                zone));
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
