package io.i2kit.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.secret.SecretStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Subnet;

/**
 * Stack parameters only AWS can answer at deploy time: the version of each secret a service reads
 * (from SSM, so a new value changes the launch template and replaces the VMs while the AMI stays),
 * and the availability zone of each subnet of a given VPC (so that volumes are made where their
 * replicas run).
 */
final class StackParameters {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ec2Client ec2;
    private final SecretStore secrets;

    StackParameters(Ec2Client ec2, SecretStore secrets) {
        this.ec2 = ec2;
        this.secrets = secrets;
    }

    /** {@code SecretVersion1=3...}; a secret that is not set fails before anything is deployed. */
    Map<String, String> secretVersions(List<AwsRelease.ServiceRelease> services) {
        return secretVersions(services, false);
    }

    /**
     * The versions a plan shows: the pipeline has already refused a secret that is neither set nor
     * to be generated, so one not set here is one up generates, and its first version is 1.
     */
    Map<String, String> plannedSecretVersions(List<AwsRelease.ServiceRelease> services) {
        return secretVersions(services, true);
    }

    private Map<String, String> secretVersions(List<AwsRelease.ServiceRelease> services, boolean unsetIsGenerated) {
        List<String> names = services.stream().flatMap(s -> s.secretParameters().values().stream()).distinct().sorted().toList();
        if (names.isEmpty()) {
            return Map.of();
        }
        Map<String, Long> versions = new LinkedHashMap<>(secrets.versions(names));
        if (unsetIsGenerated) {
            names.forEach(n -> versions.putIfAbsent(n, 1L));
        }
        List<String> missing = new ArrayList<>();
        for (AwsRelease.ServiceRelease s : services) {
            s.secretParameters().values().stream().filter(n -> !versions.containsKey(n))
                    .forEach(n -> missing.add(n + " (read by " + s.service() + ")"));
        }
        if (!missing.isEmpty()) {
            String first = missing.get(0).substring(0, missing.get(0).indexOf(' '));
            throw new InvalidInputException("secrets not set in " + secrets.location() + ": " + String.join(", ", missing)
                    + "; set each with: i2kit secret set -f MANIFEST -e ENVIRONMENT " + first + " < FILE");
        }
        Map<String, String> all = new LinkedHashMap<>();
        versions.forEach((name, version) -> all.put(name, Long.toString(version)));
        return all;
    }

    /** The parameters of one service stack, from the versions {@link #secretVersions} found. */
    static Map<String, String> forService(AwsRelease.ServiceRelease service, Map<String, String> versions) {
        Map<String, String> parameters = new LinkedHashMap<>();
        service.secretParameters().forEach((parameter, name) -> parameters.put(parameter, versions.get(name)));
        return parameters;
    }

    /**
     * The volume each {@code Kept...} parameter of a service stack hands it: what the deployed
     * stack has (an update never swaps a replica's volume), or for a stack about to be created, an
     * available volume {@code down} kept for that service, replica and volume name, in the zone
     * the replica runs in ({@code subnetZones}: the zone of private subnet 1, 2, ..., as the
     * environment stack exports them; unchecked when empty); else empty, and the stack makes a
     * new one.
     */
    Map<String, String> keptVolumes(String application, AwsRelease.ServiceRelease service,
                                    Optional<Map<String, String>> deployed, List<String> subnetZones) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (service.keptVolumeParameters().isEmpty()) {
            return parameters;
        }
        if (deployed.isPresent()) {
            service.keptVolumeParameters().keySet().forEach(p -> parameters.put(p, deployed.get().getOrDefault(p, "")));
            return parameters;
        }
        Map<String, String> available = new LinkedHashMap<>();
        ec2.describeVolumesPaginator(r -> r.filters(
                Filter.builder().name("tag:" + DataVolumes.DATA_TAG).values(application).build(),
                Filter.builder().name("tag:" + DataVolumes.SERVICE_TAG).values(service.service()).build(),
                Filter.builder().name("status").values("available").build())).volumes().forEach(v -> {
                    Map<String, String> tags = new LinkedHashMap<>();
                    v.tags().forEach(t -> tags.put(t.key(), t.value()));
                    if (subnetZones.isEmpty() || v.availabilityZone().equals(zoneOfReplica(tags.get(DataVolumes.REPLICA_TAG),
                            subnetZones))) {
                        available.putIfAbsent(tags.get(DataVolumes.VOLUME_TAG) + " " + tags.get(DataVolumes.REPLICA_TAG),
                                v.volumeId());
                    }
                });
        service.keptVolumeParameters().forEach((p, slot) -> parameters.put(p, available.getOrDefault(slot, "")));
        return parameters;
    }

    /** Replica n runs in private subnet (n-1) mod their number, as the service stacks pin it. */
    static String zoneOfReplica(String replica, List<String> subnetZones) {
        try {
            return subnetZones.get((Integer.parseInt(replica) - 1) % subnetZones.size());
        } catch (RuntimeException e) {
            return "";
        }
    }

    /**
     * {@code SubnetZone<n>} of an environment template that has them (a given VPC with a stateful
     * service): the zone of its {@code PrivateSubnet<n>} output's subnet, from DescribeSubnets.
     */
    Map<String, String> subnetZones(String environmentTemplate) {
        JsonNode template = parse(environmentTemplate);
        Map<String, String> subnetOf = new LinkedHashMap<>();
        template.path("Parameters").fieldNames().forEachRemaining(p -> {
            if (p.startsWith(LogicalIds.SUBNET_ZONE)) {
                String n = p.substring(LogicalIds.SUBNET_ZONE.length());
                subnetOf.put(p, template.at("/Outputs/PrivateSubnet" + n + "/Value").asText());
            }
        });
        if (subnetOf.isEmpty()) {
            return Map.of();
        }
        Map<String, String> zoneOfSubnet = new LinkedHashMap<>();
        for (Subnet s : ec2.describeSubnets(r -> r.subnetIds(subnetOf.values())).subnets()) {
            zoneOfSubnet.put(s.subnetId(), s.availabilityZone());
        }
        Map<String, String> parameters = new LinkedHashMap<>();
        subnetOf.forEach((parameter, subnet) -> {
            String zone = zoneOfSubnet.get(subnet);
            if (zone == null) {
                throw new I2kitException("subnet " + subnet + " of the environment file was not found in the region");
            }
            parameters.put(parameter, zone);
        });
        return parameters;
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new IllegalStateException("a rendered template is not JSON", e);
        }
    }
}
