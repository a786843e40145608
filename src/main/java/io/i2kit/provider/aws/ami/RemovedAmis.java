package io.i2kit.provider.aws.ami;

import java.util.List;

/**
 * What {@link AmiRemover} removed.
 *
 * @param imageIds    AMIs deregistered
 * @param snapshotIds snapshots deleted: those of the deregistered AMIs and i2kit's orphans
 */
public record RemovedAmis(List<String> imageIds, List<String> snapshotIds) {
    public RemovedAmis {
        imageIds = List.copyOf(imageIds);
        snapshotIds = List.copyOf(snapshotIds);
    }
}
