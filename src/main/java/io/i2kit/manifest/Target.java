package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * What depends on where the application runs, read from an environment file ({@code -e aws.yml}).
 * Nothing here may change an image: only providers read it.
 */
public record Target(Provider provider, Optional<String> region, Optional<String> vpc, List<String> subnets,
                     Optional<String> publicZone, Optional<String> certificate, Optional<String> keyPair,
                     int snapshotRetainDays) {
    public enum Provider { LOCAL, AWS }

    public static final Target LOCAL = new Target(Provider.LOCAL, Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty());

    /** How long scheduled snapshots of volumes are kept when the environment file does not say. */
    public static final int DEFAULT_SNAPSHOT_RETAIN_DAYS = 7;
    /** Data Lifecycle Manager keeps at most 1000 snapshots per schedule; a daily one, that long. */
    public static final int MAX_SNAPSHOT_RETAIN_DAYS = 1000;

    public Target {
        subnets = List.copyOf(subnets);
        if (snapshotRetainDays < 1 || snapshotRetainDays > MAX_SNAPSHOT_RETAIN_DAYS) {
            throw new IllegalArgumentException("snapshot retention of " + snapshotRetainDays + " days");
        }
    }

    public Target(Provider provider, Optional<String> region, Optional<String> vpc, List<String> subnets,
                  Optional<String> publicZone, Optional<String> certificate, Optional<String> keyPair) {
        this(provider, region, vpc, subnets, publicZone, certificate, keyPair, DEFAULT_SNAPSHOT_RETAIN_DAYS);
    }

    public Target withSnapshotRetainDays(int days) {
        return new Target(provider, region, vpc, subnets, publicZone, certificate, keyPair, days);
    }
}
