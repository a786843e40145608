package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.Optional;

/**
 * The name a public service answers to in the environment's public zone: its {@code hostname}
 * (which may be the zone apex), else {@code <service>.<zone>}. {@code zoneId} is the stack
 * parameter the provider fills with the zone's id, looked up by name in Route 53: a name alone
 * could also match a private zone of the same name, and ACM's validation needs the id.
 */
record PublicName(String host, String zone, JsonNode zoneId) {
    /** Present for a public service on a target with a public zone. */
    static Optional<PublicName> of(Service service, Target target, Template template) {
        Optional<String> publicZone = LogicalIds.publicZone(service, target);
        if (publicZone.isEmpty()) {
            return Optional.empty();
        }
        String zone = publicZone.get();
        template.parameter(LogicalIds.PUBLIC_ZONE_ID, "AWS::Route53::HostedZone::Id",
                "The id of the public hosted zone " + zone + " (i2kit fills it)");
        String host = service.hostname().map(PublicName::stripDot).orElse(service.name() + "." + zone);
        return Optional.of(new PublicName(host, zone, Fn.ref(LogicalIds.PUBLIC_ZONE_ID)));
    }

    static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
