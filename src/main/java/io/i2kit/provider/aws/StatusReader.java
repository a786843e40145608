package io.i2kit.provider.aws;

import io.i2kit.provider.aws.AwsStatus.Instance;
import io.i2kit.provider.aws.AwsStatus.ServiceState;
import io.i2kit.provider.aws.AwsStatus.StackState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Output;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackResource;

/** Reads an application's stacks, their scaling groups' instances and their endpoints. */
final class StatusReader {

    private final CloudFormationClient cloudFormation;
    private final AutoScalingClient autoScaling;

    StatusReader(CloudFormationClient cloudFormation, AutoScalingClient autoScaling) {
        this.cloudFormation = cloudFormation;
        this.autoScaling = autoScaling;
    }

    AwsStatus read(String application, String region) {
        List<ApplicationStacks.Found> stacks = ApplicationStacks.of(cloudFormation, application);
        Optional<StackState> environment = stacks.stream().filter(s -> s.service().isEmpty()).findFirst()
                .map(s -> new StackState(s.name(), s.status().toString()));
        List<ServiceState> services = new ArrayList<>();
        for (ApplicationStacks.Found s : stacks) {
            s.service().ifPresent(service -> services.add(service(service, s)));
        }
        services.sort(Comparator.comparing(ServiceState::name));
        return new AwsStatus(application, region, environment, services);
    }

    private ServiceState service(String name, ApplicationStacks.Found found) {
        Stack stack = found.stack();
        Map<String, String> outputs = stack.outputs().stream()
                .collect(Collectors.toMap(Output::outputKey, Output::outputValue, (a, b) -> a));
        Map<String, String> parameters = found.parameters();
        List<AutoScalingGroup> groups = scalingGroups(found.name());
        List<Instance> instances = groups.stream().flatMap(g -> g.instances().stream())
                .map(i -> new Instance(i.instanceId(), i.lifecycleStateAsString(), i.healthStatus(),
                        Optional.ofNullable(i.launchTemplate()).map(t -> t.version())))
                .toList();
        return new ServiceState(name, new StackState(found.name(), found.status().toString()),
                Optional.ofNullable(parameters.get(ApplicationStacks.IMAGE_DIGEST)), Optional.ofNullable(parameters.get(ApplicationStacks.IMAGE_ID)),
                groups.stream().mapToInt(AutoScalingGroup::desiredCapacity).sum(),
                groups.stream().mapToInt(AutoScalingGroup::minSize).sum(),
                groups.stream().mapToInt(AutoScalingGroup::maxSize).sum(), instances,
                Optional.ofNullable(outputs.get("Endpoint")), Optional.ofNullable(outputs.get("PublicUrl")),
                Optional.ofNullable(outputs.get("LoadBalancerDnsName")));
    }

    /** The service's scaling group, or one per replica of a stateful service, in replica order. */
    private List<AutoScalingGroup> scalingGroups(String stackName) {
        List<String> names = ApplicationStacks.scalingGroups(cloudFormation.describeStackResources(r -> r.stackName(stackName))
                .stackResources()).stream().map(StackResource::physicalResourceId).toList();
        if (names.isEmpty()) {
            return List.of();
        }
        Map<String, AutoScalingGroup> byName = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(names))
                .autoScalingGroups().stream().collect(Collectors.toMap(AutoScalingGroup::autoScalingGroupName, g -> g));
        return names.stream().filter(byName::containsKey).map(byName::get).toList();
    }
}
