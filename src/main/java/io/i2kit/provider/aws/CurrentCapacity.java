package io.i2kit.provider.aws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import io.i2kit.cloudformation.LogicalIds;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * The desired count an autoscaled service's stack is deployed with ({@link LogicalIds#DESIRED_CAPACITY}):
 * what its deployed group wants now, within the manifest's new {@code min..max}. Target tracking
 * moved it since the last deploy; passing it on keeps an update, and the new group of a replacing
 * update, from starting over at {@code min}. A new stack, or a group not found, takes {@code min}
 * (the parameter's default). Between this read and the update a policy may still move the group:
 * then the update sets it back to this count, and the policy moves it again.
 */
final class CurrentCapacity {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CloudFormationClient cloudFormation;
    private final AutoScalingClient autoScaling;

    CurrentCapacity(CloudFormationClient cloudFormation, AutoScalingClient autoScaling) {
        this.cloudFormation = cloudFormation;
        this.autoScaling = autoScaling;
    }

    /** {@code DesiredCapacity=N} for an autoscaled service's deployed stack; empty otherwise. */
    Map<String, String> parameter(String templateJson, Optional<ApplicationStacks.Found> deployed) {
        JsonNode bounds = template(templateJson).path("Parameters").path(LogicalIds.DESIRED_CAPACITY);
        if (bounds.isMissingNode() || deployed.isEmpty()) {
            return Map.of();
        }
        List<String> groups = ApplicationStacks.scalingGroups(cloudFormation.describeStackResources(r -> r.stackName(
                deployed.get().name())).stackResources()).stream().map(StackResource::physicalResourceId).toList();
        if (groups.isEmpty()) {
            return Map.of();
        }
        int desired = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(groups)).autoScalingGroups()
                .stream().mapToInt(AutoScalingGroup::desiredCapacity).sum();
        int min = bounds.path("MinValue").asInt(desired);
        int max = bounds.path("MaxValue").asInt(desired);
        return Map.of(LogicalIds.DESIRED_CAPACITY, Integer.toString(Math.max(min, Math.min(max, desired))));
    }

    private static JsonNode template(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new I2kitException("a rendered template is not JSON: " + e.getMessage(), e);
        }
    }
}
