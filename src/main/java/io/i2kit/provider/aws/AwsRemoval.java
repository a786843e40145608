package io.i2kit.provider.aws;

import java.util.List;
import java.util.Optional;

/**
 * What {@code down} removed: stacks, then (unless images are kept) AMIs and their snapshots; and
 * the application's data volumes, either kept or (with {@code --delete-data}) deleted.
 */
public record AwsRemoval(List<String> stacks, List<String> images, List<String> snapshots,
                         List<DataVolume> keptVolumes, List<DataVolume> deletedVolumes) {
    public AwsRemoval {
        stacks = List.copyOf(stacks);
        images = List.copyOf(images);
        snapshots = List.copyOf(snapshots);
        keptVolumes = List.copyOf(keptVolumes);
        deletedVolumes = List.copyOf(deletedVolumes);
    }

    /** An EBS data volume of a replica; {@code finalSnapshot} once deleted after one. */
    public record DataVolume(String id, String service, String replica, String volume, int sizeGiB, String zone,
                             String state, Optional<String> finalSnapshot) {
        DataVolume withFinalSnapshot(Optional<String> snapshot) {
            return new DataVolume(id, service, replica, volume, sizeGiB, zone, state, snapshot);
        }
    }
}
