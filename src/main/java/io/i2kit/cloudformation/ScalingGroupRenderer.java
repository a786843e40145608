package io.i2kit.cloudformation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.discovery.BootMetadata;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Autoscaling;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The launch template of a service's VM and the auto scaling group that keeps its replicas running.
 * A stateful service gets one of each per replica: a group of one instance pinned to the subnet of
 * its volumes' zone, whose user data names those volumes. An autoscaled service's group spans
 * {@code min..max} and follows a target-tracking policy.
 */
final class ScalingGroupRenderer {
    static final String LAUNCH_TEMPLATE = LogicalIds.LAUNCH_TEMPLATE;
    static final String SCALING_GROUP = LogicalIds.SCALING_GROUP;

    private final Template template;
    private final Application app;
    private final Tags tags;

    ScalingGroupRenderer(Template template, Application app, Tags tags) {
        this.template = template;
        this.app = app;
        this.tags = tags;
    }

    /** @param volumes per replica (index 0 is replica 1), the volumes rendered for it; empty for a stateless service */
    void render(Service service, Optional<LoadBalancing> balancing, Target target,
                List<List<VolumeRenderer.ReplicaVolume>> volumes) {
        JsonNode subnets = EnvironmentExport.PRIVATE_SUBNETS.importList(app.name());
        if (volumes.isEmpty()) {
            launchTemplate(LAUNCH_TEMPLATE, service, target, List.of());
            ObjectNode group = scalingGroup(SCALING_GROUP, LAUNCH_TEMPLATE, service.replicas(), subnets, service,
                    balancing, tags);
            // Immutable updates: a new image means a new group beside the old one, and the old one is
            // removed only once the new one is created, so capacity never drops and a failed update
            // rolls back to instances that still run the old image.
            ObjectNode policy = Fn.object();
            policy.putObject("AutoScalingReplacingUpdate").put("WillReplace", true);
            template.attribute(SCALING_GROUP, "UpdatePolicy", policy);
            service.autoscaling().ifPresent(scaling -> autoscale(group, scaling, balancing));
            return;
        }
        int subnetCount = NetworkRenderer.privateSubnetCount(target);
        for (int replica = 1; replica <= volumes.size(); replica++) {
            String launchTemplate = LogicalIds.launchTemplate(replica);
            String group = LogicalIds.scalingGroup(replica);
            launchTemplate(launchTemplate, service, target, volumes.get(replica - 1));
            scalingGroup(group, launchTemplate, 1,
                    Fn.array(EnvironmentExport.PRIVATE_SUBNET.importValue(app.name(),
                            VolumeRenderer.subnetIndex(replica, subnetCount) + 1)), service, balancing,
                    tags.with(VolumeRenderer.REPLICA_TAG, Fn.text(Integer.toString(replica))));
            // A volume attaches to one instance: the old one stops before the new one starts.
            ObjectNode policy = Fn.object();
            policy.putObject("AutoScalingRollingUpdate").put("MinInstancesInService", 0).put("MaxBatchSize", 1);
            template.attribute(group, "UpdatePolicy", policy);
            if (replica > 1) {
                // One replica at a time, so that the others serve while it restarts.
                template.attribute(group, "DependsOn", Fn.text(LogicalIds.scalingGroup(replica - 1)));
            }
        }
    }

    /**
     * The group spans {@code min..max}, and its desired count is a parameter the provider fills with
     * the deployed group's count (see {@link LogicalIds#DESIRED_CAPACITY}): a literal count would put
     * a scaled-out group back to {@code min} on the next update, and a replacing update would start
     * the new group there. The replaced group keeps serving until the new one is up, so at least as
     * many instances as before (never fewer than {@code min}) stay in service through an update.
     */
    private void autoscale(ObjectNode group, Autoscaling scaling, Optional<LoadBalancing> balancing) {
        template.parameter(LogicalIds.DESIRED_CAPACITY, "Number", "How many instances the scaling group wants now, "
                + "from " + scaling.min() + " to " + scaling.max() + " (i2kit passes the deployed group's count)",
                Integer.toString(scaling.min()));
        template.parameterBounds(LogicalIds.DESIRED_CAPACITY, scaling.min(), scaling.max());
        group.put("MinSize", Integer.toString(scaling.min()))
                .put("MaxSize", Integer.toString(scaling.max()))
                .set("DesiredCapacity", Fn.ref(LogicalIds.DESIRED_CAPACITY));
        ObjectNode props = template.resource(LogicalIds.SCALING_POLICY, "AWS::AutoScaling::ScalingPolicy")
                .<ObjectNode>set("AutoScalingGroupName", Fn.ref(SCALING_GROUP))
                .put("PolicyType", "TargetTrackingScaling");
        ObjectNode tracking = props.putObject("TargetTrackingConfiguration");
        ObjectNode metric = tracking.putObject("PredefinedMetricSpecification");
        if (scaling.cpuPercent().isPresent()) {
            metric.put("PredefinedMetricType", "ASGAverageCPUUtilization");
            tracking.put("TargetValue", scaling.cpuPercent().get());
            return;
        }
        LoadBalancing lb = balancing.filter(b -> b.type() == LoadBalancing.Type.APPLICATION).orElseThrow(() ->
                new IllegalArgumentException("requests_per_target needs an application load balancer: every port http or https"));
        // app/<lb>/<id>/targetgroup/<tg>/<id>: the requests of the first port's target group.
        LoadBalancing.TargetGroup counted = lb.listeners().get(0).target();
        metric.put("PredefinedMetricType", "ALBRequestCountPerTarget")
                .set("ResourceLabel", Fn.join("/", Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "LoadBalancerFullName"),
                        Fn.getAtt(counted.logicalId(), "TargetGroupFullName")));
        tracking.put("TargetValue", scaling.requestsPerTarget().get());
        // AWS refuses the label until a listener ties the target group to the load balancer.
        ArrayNode listeners = Fn.array();
        lb.listeners().forEach(l -> listeners.add(l.logicalId()));
        template.attribute(LogicalIds.SCALING_POLICY, "DependsOn", listeners);
    }

    private void launchTemplate(String logicalId, Service service, Target target,
                                List<VolumeRenderer.ReplicaVolume> volumes) {
        ObjectNode props = template.resource(logicalId, "AWS::EC2::LaunchTemplate");
        props.putArray("TagSpecifications").addObject().put("ResourceType", "launch-template").set("Tags", tags.list());
        ObjectNode data = props.putObject("LaunchTemplateData")
                .<ObjectNode>set("ImageId", Fn.ref(ServiceStackRenderer.IMAGE_ID))
                .put("InstanceType", service.instanceType());
        data.putObject("IamInstanceProfile").set("Name", Fn.ref(InstanceRoleRenderer.PROFILE));
        data.putArray("SecurityGroupIds")
                .add(Fn.getAtt(SecurityGroupRenderer.INSTANCE_GROUP, "GroupId"))
                .add(EnvironmentExport.APP_SECURITY_GROUP.importValue(app.name()));
        // IMDSv2 only, and one hop so that no container behind a bridge reaches the credentials.
        data.putObject("MetadataOptions")
                .put("HttpEndpoint", "enabled")
                .put("HttpTokens", "required")
                .put("HttpPutResponseHopLimit", 1);
        target.keyPair().ifPresent(key -> data.put("KeyName", key));
        data.set("UserData", userData(service, volumes));
        Tags instanceTags = tags.with(Tags.IMAGE_DIGEST, Fn.ref(ServiceStackRenderer.IMAGE_DIGEST));
        ArrayNode specs = data.putArray("TagSpecifications");
        for (String resourceType : new String[] {"instance", "volume"}) {
            specs.addObject().put("ResourceType", resourceType).set("Tags", instanceTags.list());
        }
    }

    /**
     * The VM's metadata. Only values that depend on the target go here, never secrets: user data
     * is readable by anyone who can describe the instance. No hosts: the private zone answers.
     * Volume ids and secret versions are known only when the stack is deployed, so they are
     * {@code ${...}} references that {@code Fn::Sub} resolves (the names around them are DNS
     * labels, which never hold a {@code ${} of their own).
     */
    private JsonNode userData(Service service, List<VolumeRenderer.ReplicaVolume> volumes) {
        BootMetadata metadata = new BootMetadata(app.name(), service.name(), app.zone(), List.of())
                .withLogs(BootMetadata.LogTarget.of(app.name(), service.name()));
        Map<String, String> secrets = LogicalIds.secretVersionParameters(service);
        if (volumes.isEmpty() && secrets.isEmpty()) {
            return Fn.base64(metadata.toJson());
        }
        metadata = metadata.withVolumes(volumes.stream()
                .map(v -> new BootMetadata.VolumeDisk(v.volume(), "${" + v.variable() + "}")).toList());
        metadata = metadata.withSecrets(secrets.values().stream().map(name -> new BootMetadata.SecretVersion(name, 0))
                .toList());
        ObjectNode tree = parse(metadata.toJson());
        if (!secrets.isEmpty()) {
            // BootMetadata writes versions as numbers; here each is its stack parameter instead.
            ((ObjectNode) tree.at("/i2kit/entries/secrets")).put("content", secrets.entrySet().stream()
                    .map(e -> e.getValue() + " ${" + e.getKey() + "}")
                    .collect(Collectors.joining("\n", "", "\n")));
        }
        if (volumes.isEmpty()) {
            return Fn.base64(Fn.sub(Template.compact(tree)));
        }
        ObjectNode variables = Fn.object();
        volumes.forEach(v -> variables.set(v.variable(), v.volumeId()));
        return Fn.base64(Fn.sub(Template.compact(tree), variables));
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("boot metadata is not JSON", e);
        }
    }

    private ObjectNode scalingGroup(String logicalId, String launchTemplate, int size, JsonNode subnets, Service service,
                                    Optional<LoadBalancing> balancing, Tags groupTags) {
        String replicas = Integer.toString(size);
        ObjectNode props = template.resource(logicalId, "AWS::AutoScaling::AutoScalingGroup")
                .put("MinSize", replicas)
                .put("MaxSize", replicas)
                .put("DesiredCapacity", replicas);
        props.putObject("LaunchTemplate")
                .<ObjectNode>set("LaunchTemplateId", Fn.ref(launchTemplate))
                .set("Version", Fn.getAtt(launchTemplate, "LatestVersionNumber"));
        props.set("VPCZoneIdentifier", subnets);
        props.put("HealthCheckType", balancing.isPresent() ? "ELB" : "EC2");
        service.health().ifPresent(h -> props.put("HealthCheckGracePeriod", Math.max(0, h.gracePeriod().toSeconds())));
        balancing.ifPresent(b -> {
            ArrayNode arns = props.putArray("TargetGroupARNs");
            b.targetGroups().forEach(group -> arns.add(Fn.ref(group.logicalId())));
        });
        props.set("Tags", groupTags.propagatedAtLaunch());
        return props;
    }
}
