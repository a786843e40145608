package io.i2kit.provider.aws;

import io.i2kit.cloudformation.LogicalIds;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.cloudformation.model.Tag;

/**
 * The stacks i2kit deployed for an application, found by the tags every i2kit stack carries (not
 * by the manifest), so that status and down also see a service since removed from the manifest.
 */
final class ApplicationStacks {
    static final String APPLICATION_TAG = "i2kit:application";
    static final String SERVICE_TAG = "i2kit:service";
    // Names in a service stack's template (io.i2kit.cloudformation.ServiceStackRenderer).
    static final String IMAGE_ID = "ImageId";
    static final String IMAGE_DIGEST = "ImageDigest";

    /** A deployed stack of the application; {@code service} is empty for the environment stack. */
    record Found(String name, Optional<String> service, StackStatus status, Stack stack) {
        /** The stack's parameters as deployed; one without a value (an empty one, as some emulators send it) is "". */
        Map<String, String> parameters() {
            Map<String, String> parameters = new LinkedHashMap<>();
            stack.parameters().forEach(p -> parameters.putIfAbsent(p.parameterKey(),
                    p.parameterValue() == null ? "" : p.parameterValue()));
            return parameters;
        }
    }

    private ApplicationStacks() {
    }

    static List<Found> of(CloudFormationClient cloudFormation, String application) {
        List<Found> found = new ArrayList<>();
        for (Stack stack : cloudFormation.describeStacksPaginator().stacks()) {
            Map<String, String> tags = stack.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
            if (application.equals(tags.get(APPLICATION_TAG)) && stack.stackStatus() != StackStatus.DELETE_COMPLETE) {
                found.add(new Found(stack.stackName(), Optional.ofNullable(tags.get(SERVICE_TAG)), stack.stackStatus(),
                        stack));
            }
        }
        return List.copyOf(found);
    }

    /**
     * The scaling groups among a service stack's resources that exist yet: its one group, or one
     * per replica of a stateful service, in replica order (R2 before R10).
     */
    static List<StackResource> scalingGroups(List<StackResource> resources) {
        return resources.stream()
                .filter(r -> LogicalIds.isScalingGroup(r.logicalResourceId()) && r.physicalResourceId() != null)
                .sorted(Comparator.comparingInt(r -> LogicalIds.scalingGroupReplica(r.logicalResourceId())))
                .toList();
    }

    /** Tags of the application's environment stack, or of one of its service stacks. */
    static Map<String, String> tags(String application, Optional<String> service) {
        return service.map(s -> Map.of(APPLICATION_TAG, application, SERVICE_TAG, s))
                .orElseGet(() -> Map.of(APPLICATION_TAG, application));
    }
}
