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
import software.amazon.awssdk.services.cloudformation.model.Parameter;
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
        Map<String, String> parameters = stack.parameters().stream()
                .collect(Collectors.toMap(Parameter::parameterKey, p -> p.parameterValue() == null ? "" : p.parameterValue(),
                        (a, b) -> a));
        Optional<AutoScalingGroup> group = scalingGroup(found.name());
        List<Instance> instances = group.map(g -> g.instances().stream()
                .map(i -> new Instance(i.instanceId(), i.lifecycleStateAsString(), i.healthStatus(),
                        Optional.ofNullable(i.launchTemplate()).map(t -> t.version())))
                .toList()).orElse(List.of());
        return new ServiceState(name, new StackState(found.name(), found.status().toString()),
                Optional.ofNullable(parameters.get(ApplicationStacks.IMAGE_DIGEST)), Optional.ofNullable(parameters.get(ApplicationStacks.IMAGE_ID)),
                group.map(AutoScalingGroup::desiredCapacity).orElse(0), instances,
                Optional.ofNullable(outputs.get("Endpoint")), Optional.ofNullable(outputs.get("PublicUrl")),
                Optional.ofNullable(outputs.get("LoadBalancerDnsName")));
    }

    private Optional<AutoScalingGroup> scalingGroup(String stackName) {
        List<StackResource> resources = cloudFormation.describeStackResources(r -> r.stackName(stackName)).stackResources();
        return resources.stream().filter(r -> r.logicalResourceId().equals(ApplicationStacks.SCALING_GROUP)).findFirst()
                .map(StackResource::physicalResourceId)
                .flatMap(id -> autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(id))
                        .autoScalingGroups().stream().findFirst());
    }
}
