package io.i2kit.provider.aws;

import java.util.List;

/** What {@code down} removed: stacks, then (unless images are kept) AMIs and their snapshots. */
public record AwsRemoval(List<String> stacks, List<String> images, List<String> snapshots) {
    public AwsRemoval {
        stacks = List.copyOf(stacks);
        images = List.copyOf(images);
        snapshots = List.copyOf(snapshots);
    }
}
