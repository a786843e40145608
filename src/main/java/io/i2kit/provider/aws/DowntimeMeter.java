package io.i2kit.provider.aws;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/**
 * How long each replica of a stateful service was down during an update, from its scaling
 * group's activities: from the start of the old instance's termination (the rolling update stops
 * it first, since its volume attaches to one instance) to the end of the new instance's launch
 * (in service in its group). Replicas are updated one after another, so the service as a whole
 * is down only when it has one replica.
 */
final class DowntimeMeter {
    /** One replica's outage: its group, when the old instance began to stop, and for how long it was out. */
    record Outage(String group, Instant stopped, Duration down) {
    }

    private final CloudFormationClient cloudFormation;
    private final AutoScalingClient autoScaling;

    DowntimeMeter(CloudFormationClient cloudFormation, AutoScalingClient autoScaling) {
        this.cloudFormation = cloudFormation;
        this.autoScaling = autoScaling;
    }

    /** The outages of the stack's per-replica groups since {@code since}, in replica order. */
    List<Outage> measure(String stackName, Instant since) {
        List<Outage> outages = new ArrayList<>();
        for (StackResource group : ApplicationStacks.scalingGroups(
                cloudFormation.describeStackResources(r -> r.stackName(stackName)).stackResources())) {
            List<Activity> activities = autoScaling.describeScalingActivities(r -> r.autoScalingGroupName(
                    group.physicalResourceId())).activities();
            outage(group.logicalResourceId(), activities, since).ifPresent(outages::add);
        }
        return List.copyOf(outages);
    }

    /** The first termination after {@code since} and the first launch that ended after it began. */
    static Optional<Outage> outage(String group, List<Activity> activities, Instant since) {
        Optional<Instant> stopped = activities.stream()
                .filter(a -> a.description() != null && a.description().startsWith("Terminating"))
                .map(Activity::startTime).filter(t -> t != null && !t.isBefore(since)).min(Comparator.naturalOrder());
        if (stopped.isEmpty()) {
            return Optional.empty();
        }
        Optional<Instant> serving = activities.stream()
                .filter(a -> a.description() != null && a.description().startsWith("Launching") && a.endTime() != null)
                .map(Activity::endTime).filter(t -> t.isAfter(stopped.get())).min(Comparator.naturalOrder());
        return serving.map(end -> new Outage(group, stopped.get(), Duration.between(stopped.get(), end)));
    }
}
