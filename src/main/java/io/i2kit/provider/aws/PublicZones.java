package io.i2kit.provider.aws;

import io.i2kit.InvalidInputException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;

/**
 * The Route 53 id of the environment file's {@code public_zone}, looked up by name once per
 * command, which also checks that the zone can take the public names: it exists, is public, and
 * no other zone of the account has its name. The alias records name their zone (as the CNAMEs
 * before them did, so that an update turns one into the other in place), and CloudFormation
 * cannot tell two zones of one name apart: a private zone of the same name (split-horizon DNS)
 * is refused here, before anything is uploaded, rather than by the stack.
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
        List<HostedZone> named = route53.listHostedZonesByName(r -> r.dnsName(absolute).maxItems("100")).hostedZones()
                .stream()
                .filter(z -> z.name().equalsIgnoreCase(absolute))
                .toList();
        List<HostedZone> found = named.stream().filter(z -> !isPrivate(z)).toList();
        List<HostedZone> privateOnes = named.stream().filter(PublicZones::isPrivate).toList();
        if (!found.isEmpty() && !privateOnes.isEmpty()) {
            throw new InvalidInputException("public_zone " + zone + ": this account also has a private hosted zone of that "
                    + "name (" + String.join(", ", privateOnes.stream().map(z -> id(z.id())).toList()) + "), and "
                    + "CloudFormation finds the zone of the public names by name; use a public zone whose name no private "
                    + "zone shares (a subdomain such as app." + zone + " delegated to its own zone)");
        }
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

    private static boolean isPrivate(HostedZone zone) {
        return zone.config() != null && Boolean.TRUE.equals(zone.config().privateZone());
    }

    private static String id(String id) {
        return id.startsWith("/hostedzone/") ? id.substring("/hostedzone/".length()) : id;
    }
}
