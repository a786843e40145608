package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * What depends on where the application runs, read from an environment file ({@code -e aws.yml}).
 * Nothing here may change an image: only providers read it.
 */
public record Target(Provider provider, Optional<String> region, Optional<String> vpc, List<String> subnets,
                     Optional<String> publicZone, Optional<String> certificate, Optional<String> keyPair,
                     int snapshotRetainDays, LoadBalancer loadBalancer) {
    public enum Provider { LOCAL, AWS }

    public static final Target LOCAL = new Target(Provider.LOCAL, Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** How long scheduled snapshots of volumes are kept when the environment file does not say. */
    public static final int DEFAULT_SNAPSHOT_RETAIN_DAYS = 7;
    /** Data Lifecycle Manager keeps at most 1000 snapshots per schedule; a daily one, that long. */
    public static final int MAX_SNAPSHOT_RETAIN_DAYS = 1000;

    /**
     * {@code load_balancer:} settings of every load balancer of the application (aws only): access
     * logs to an S3 bucket under a prefix (empty: the bucket's root), and deletion protection.
     */
    public record LoadBalancer(Optional<AccessLogs> accessLogs, boolean deletionProtection) {
        public static final LoadBalancer DEFAULT = new LoadBalancer(Optional.empty(), false);
    }

    /** {@code s3://bucket/prefix}; the prefix has no leading or trailing slash. */
    public record AccessLogs(String bucket, String prefix) {
    }

    public Target {
        subnets = List.copyOf(subnets);
        if (snapshotRetainDays < 1 || snapshotRetainDays > MAX_SNAPSHOT_RETAIN_DAYS) {
            throw new IllegalArgumentException("snapshot retention of " + snapshotRetainDays + " days");
        }
        if (loadBalancer == null) {
            throw new IllegalArgumentException("load balancer settings are required");
        }
    }

    public Target(Provider provider, Optional<String> region, Optional<String> vpc, List<String> subnets,
                  Optional<String> publicZone, Optional<String> certificate, Optional<String> keyPair) {
        this(provider, region, vpc, subnets, publicZone, certificate, keyPair, DEFAULT_SNAPSHOT_RETAIN_DAYS,
                LoadBalancer.DEFAULT);
    }

    public Target withSnapshotRetainDays(int days) {
        return new Target(provider, region, vpc, subnets, publicZone, certificate, keyPair, days, loadBalancer);
    }

    public Target withLoadBalancer(LoadBalancer settings) {
        return new Target(provider, region, vpc, subnets, publicZone, certificate, keyPair, snapshotRetainDays, settings);
    }
}
