package io.i2kit.cloudformation;

import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Names in a service stack that the AWS provider reads back: the scaling groups, the volumes and
 * their tags, and the parameters that carry secret versions. Logical ids of a stateful service depend only on
 * volume names and replica numbers, so re-rendering never replaces a volume that still exists.
 */
public final class LogicalIds {
    /** The one scaling group of a stateless service; a stateful one has {@code ScalingGroupR1}... */
    public static final String SCALING_GROUP = "ScalingGroup";
    public static final String LAUNCH_TEMPLATE = "LaunchTemplate";
    /** The target-tracking policy of an autoscaled service's group. */
    public static final String SCALING_POLICY = "ScalingPolicy";
    /**
     * The parameter an autoscaled service's group takes its desired count from: the provider passes
     * the deployed group's current count, so that an update (or a replacing one, whose new group
     * starts at this count) never sets a group that scaled out back to {@code min}.
     */
    public static final String DESIRED_CAPACITY = "DesiredCapacity";
    /** The service's CloudWatch Logs group, named {@link #logGroupName}. */
    public static final String LOG_GROUP = "LogGroup";
    static final String SECRET_VERSION = "SecretVersion";
    /**
     * Prefix of the environment stack's parameters for a given VPC's subnet zones: {@code
     * SubnetZone1} is the zone of the environment file's first subnet; present only when a
     * service is stateful.
     */
    public static final String SUBNET_ZONE = "SubnetZone";
    /**
     * The parameter of a service's stack whose certificate i2kit requests, which the provider
     * fills with the public zone's Route 53 id: ACM's validation records go there.
     */
    public static final String PUBLIC_ZONE_ID = "PublicZoneId";
    /**
     * Tags of a data volume, which its snapshots copy: {@code down} finds the volumes by the
     * first, and must never take their snapshots for an image's leftovers.
     */
    public static final String DATA_TAG = "i2kit:data-of";
    public static final String REPLICA_TAG = "i2kit:replica";
    public static final String VOLUME_TAG = "i2kit:volume";

    private LogicalIds() {
    }

    /** {@code ScalingGroup} for a stateless service, {@code ScalingGroupR<n>} for replica n of a stateful one. */
    public static boolean isScalingGroup(String logicalId) {
        return logicalId.equals(SCALING_GROUP) || logicalId.matches(SCALING_GROUP + "R\\d+");
    }

    /** The replica a scaling group serves: 0 for a stateless service's one group, n for {@code ScalingGroupR<n>}. */
    public static int scalingGroupReplica(String logicalId) {
        if (!isScalingGroup(logicalId)) {
            throw new IllegalArgumentException(logicalId + " is not a scaling group");
        }
        return logicalId.equals(SCALING_GROUP) ? 0 : Integer.parseInt(logicalId.substring(SCALING_GROUP.length() + 1));
    }

    /** {@code /i2kit/<app>/<service>}: where the service's VMs ship their lines, one stream per instance and container. */
    public static String logGroupName(String application, String service) {
        return "/i2kit/" + application + "/" + service;
    }

    static String subnetZone(int subnet) {
        return SUBNET_ZONE + subnet;
    }

    static String scalingGroup(int replica) {
        return SCALING_GROUP + "R" + replica;
    }

    static String launchTemplate(int replica) {
        return LAUNCH_TEMPLATE + "R" + replica;
    }

    /**
     * {@code VolumeDataR1}: a volume name is a DNS label (lower case, digits, '-'), so writing
     * '-' as 'X' and capitalising the first letter keeps distinct names distinct; the upper-case
     * R cannot come from a name either.
     */
    static String volume(String volume, int replica) {
        String encoded = volume.replace('-', 'X');
        return "Volume" + Character.toUpperCase(encoded.charAt(0)) + encoded.substring(1) + "R" + replica;
    }

    /**
     * The parameter that hands a stack a volume {@code down} kept ({@code KeptVolumeDataR1}):
     * empty, the stack makes the volume; a volume id, the stack uses that one instead.
     */
    public static String keptVolume(String volume, int replica) {
        return "Kept" + volume(volume, replica);
    }

    /** Every {@link #keptVolume} parameter of a service's stack, to its volume's name and replica ("data 1"). */
    public static Map<String, String> keptVolumeParameters(Service service) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int replica = 1; service.isStateful() && replica <= service.replicas(); replica++) {
            for (io.i2kit.manifest.Volume volume : service.volumes()) {
                parameters.put(keptVolume(volume.name(), replica), volume.name() + " " + replica);
            }
        }
        return parameters;
    }

    /**
     * The public zone whose id a service's stack takes as {@link #PUBLIC_ZONE_ID}: present when
     * i2kit requests the service's certificate (an https/tls port, no certificate in the
     * environment file, a public name).
     */
    public static Optional<String> certificateZone(Service service, Target target) {
        return requestsCertificate(service, target) ? publicZone(service, target) : Optional.empty();
    }

    /** The public zone a service's alias record goes into: a public service with ports, when the target has one. */
    public static Optional<String> publicZone(Service service, Target target) {
        return PublicName.of(service, target).map(PublicName::zone);
    }

    static boolean requestsCertificate(Service service, Target target) {
        return target.certificate().isEmpty() && service.ports().stream().anyMatch(p -> p.lbProtocol().needsCertificate());
    }

    /** The condition under which the stack makes the volume itself. */
    static String makesVolume(String volume, int replica) {
        return "Makes" + volume(volume, replica);
    }

    /**
     * The stack parameter per secret the service reads, to its secret name: {@code SecretVersion1}
     * and on, in the order of {@link Service#secretNames()}. The provider fills them with the
     * versions it finds in SSM at deploy time, so a new value changes the launch template.
     */
    public static Map<String, String> secretVersionParameters(Service service) {
        Map<String, String> parameters = new LinkedHashMap<>();
        int index = 1;
        for (String name : service.secretNames()) {
            parameters.put(SECRET_VERSION + index++, name);
        }
        return parameters;
    }
}
