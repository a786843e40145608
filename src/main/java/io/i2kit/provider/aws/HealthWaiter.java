package io.i2kit.provider.aws;

import io.i2kit.provider.Waiter;
import io.i2kit.provider.Waiter.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.StackResource;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.TargetHealthDescription;

/**
 * Waits until a service stack's instances serve: CloudFormation calls an update complete once the
 * new scaling group exists, not once its instances pass the load balancer's health checks. Counts,
 * per target group of the stack, the instances of the stack's current scaling group that the
 * load balancer finds healthy, until every group has the desired number.
 */
final class HealthWaiter {
    private static final String TARGET_GROUP = "AWS::ElasticLoadBalancingV2::TargetGroup";

    /** What the last look found: healthy instances per target group, of how many wanted, and why not. */
    record Seen(int desired, Map<String, Integer> healthy, List<String> reasons) {
        boolean serving() {
            return healthy.values().stream().allMatch(n -> n >= desired);
        }

        String summary() {
            int least = healthy.values().stream().mapToInt(Integer::intValue).min().orElse(desired);
            return least + "/" + desired + " instances healthy behind the load balancer"
                    + (reasons.isEmpty() ? "" : " (" + String.join("; ", reasons) + ")");
        }
    }

    private final CloudFormationClient cloudFormation;
    private final AutoScalingClient autoScaling;
    private final ElasticLoadBalancingV2Client loadBalancing;
    private final Duration timeout;

    HealthWaiter(CloudFormationClient cloudFormation, AutoScalingClient autoScaling,
                 ElasticLoadBalancingV2Client loadBalancing, Duration timeout) {
        this.cloudFormation = cloudFormation;
        this.autoScaling = autoScaling;
        this.loadBalancing = loadBalancing;
        this.timeout = timeout;
    }

    /** Empty when the stack's instances serve (or it has no load balancer); else what was last seen. */
    Optional<String> await(String stackName, Consumer<String> log) {
        List<StackResource> resources = cloudFormation.describeStackResources(r -> r.stackName(stackName))
                .stackResources();
        List<String> targetGroups = resources.stream().filter(r -> r.resourceType().equals(TARGET_GROUP))
                .map(StackResource::physicalResourceId).sorted().toList();
        // One group, or one per replica of a stateful service.
        List<String> groups = ApplicationStacks.scalingGroups(resources).stream().map(StackResource::physicalResourceId).toList();
        if (targetGroups.isEmpty() || groups.isEmpty()) {
            return Optional.empty();
        }
        // Each new count is told once, not every poll.
        AtomicReference<String> told = new AtomicReference<>("");
        Outcome<Seen> outcome = new Waiter(timeout, Duration.ofSeconds(2), Duration.ofSeconds(10)).await(() -> {
            Seen seen = look(groups, targetGroups);
            if (!seen.summary().equals(told.getAndSet(seen.summary()))) {
                log.accept("[" + stackName + "] " + seen.summary());
            }
            return seen.serving() ? Outcome.done(seen) : Outcome.retry(seen.summary());
        });
        return outcome.state() == Outcome.State.DONE ? Optional.empty() : Optional.of(outcome.reason());
    }

    private Seen look(List<String> groupNames, List<String> targetGroups) {
        List<AutoScalingGroup> groups = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(groupNames))
                .autoScalingGroups();
        Set<String> instances = groups.stream().flatMap(g -> g.instances().stream()).map(i -> i.instanceId())
                .collect(Collectors.toSet());
        int desired = groups.stream().mapToInt(AutoScalingGroup::desiredCapacity).sum();
        Map<String, Integer> healthy = new TreeMap<>();
        Set<String> reasons = new java.util.TreeSet<>();
        for (String arn : targetGroups) {
            int count = 0;
            for (TargetHealthDescription d : loadBalancing.describeTargetHealth(r -> r.targetGroupArn(arn))
                    .targetHealthDescriptions()) {
                if (!instances.contains(d.target().id())) {
                    continue;
                }
                if ("healthy".equals(d.targetHealth().stateAsString())) {
                    count++;
                } else {
                    reasons.add(d.target().id() + " " + d.targetHealth().stateAsString()
                            + Optional.ofNullable(d.targetHealth().description()).map(t -> ": " + t).orElse(""));
                }
            }
            healthy.put(arn, count);
        }
        return new Seen(desired, healthy, List.copyOf(reasons));
    }
}
