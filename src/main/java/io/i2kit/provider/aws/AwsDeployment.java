package io.i2kit.provider.aws;

import java.util.List;

/** What {@code up} did: per service, its AMI (made or reused); per stack, what happened to it; then the status. */
public record AwsDeployment(List<Image> images, List<StackOutcome> stacks, AwsStatus status) {
    public AwsDeployment {
        images = List.copyOf(images);
        stacks = List.copyOf(stacks);
    }

    /** A service's AMI; {@code reused} when one with the image's digest already existed. */
    public record Image(String service, String digest, String imageId, boolean reused) {
    }

    /** {@code action}: created, updated, recreated, unchanged or deleted (a service no longer in the manifest). */
    public record StackOutcome(String stack, String action) {
    }
}
