package io.i2kit.provider.aws;

import java.util.List;

/**
 * What {@code up} would do, found through change sets that are deleted again: nothing is uploaded
 * or deployed. {@code image} says whether each service's AMI exists or would be made.
 */
public record AwsPlan(List<ImagePlan> images, List<StackPlan> stacks) {
    public AwsPlan {
        images = List.copyOf(images);
        stacks = List.copyOf(stacks);
    }

    /** {@code imageId} is empty when the AMI would be made by up. */
    public record ImagePlan(String service, String digest, java.util.Optional<String> imageId) {
    }

    /** {@code action}: create, update, unchanged or delete; with every resource change. */
    public record StackPlan(String stack, String action, String note, List<Change> changes) {
        public StackPlan {
            changes = List.copyOf(changes);
        }
    }

    /** One resource change: Add, Modify or Remove, and whether a modification replaces the resource. */
    public record Change(String action, String logicalId, String type, String replacement) {
    }
}
