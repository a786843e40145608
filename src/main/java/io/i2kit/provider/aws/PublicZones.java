package io.i2kit.provider.aws;

import io.i2kit.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;

/**
 * The Route 53 id of the environment file's {@code public_zone}, looked up by name once per
 * command. Only a public zone counts: a private zone of the same name (split-horizon DNS) is
 * neither where the world resolves the service nor where ACM looks for its validation records.
 */
final class PublicZones {
    private final Route53Client route53;
    private final Map<String, String> ids = new HashMap<>();

    PublicZones(Route53Client route53) {
        this.route53 = route53;
    }

    /** The id ({@code Z…}, without {@code /hostedzone/}) of the public zone named {@code zone}. */
    String idOf(String zone) {
        return ids.computeIfAbsent(zone, this::lookUp);
    }

    private String lookUp(String zone) {
        String absolute = zone + ".";
        // Zones are listed in name order from the one asked for: the matches come first.
        List<HostedZone> found = route53.listHostedZonesByName(r -> r.dnsName(absolute).maxItems("100")).hostedZones()
                .stream()
                .filter(z -> z.name().equalsIgnoreCase(absolute))
                .filter(z -> z.config() == null || !Boolean.TRUE.equals(z.config().privateZone()))
                .toList();
        if (found.isEmpty()) {
            throw new InvalidInputException("public_zone " + zone + ": Route 53 has no public hosted zone of that name "
                    + "in this account; create it (and delegate the domain to its name servers), or fix public_zone in "
                    + "the environment file");
        }
        if (found.size() > 1) {
            throw new InvalidInputException("public_zone " + zone + ": Route 53 has " + found.size()
                    + " public hosted zones of that name (" + String.join(", ", found.stream().map(z -> id(z.id())).toList())
                    + "); delete the ones the domain is not delegated to");
        }
        return id(found.get(0).id());
    }

    private static String id(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }
}
