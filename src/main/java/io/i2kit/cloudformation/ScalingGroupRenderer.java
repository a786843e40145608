package io.i2kit.cloudformation;

import io.i2kit.discovery.BootMetadata;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.List;
import java.util.Optional;

/** The launch template of a service's VM and the auto scaling group that keeps its replicas running. */
final class ScalingGroupRenderer {
    static final String LAUNCH_TEMPLATE = "LaunchTemplate";
    static final String SCALING_GROUP = "ScalingGroup";

    private final Template template;
    private final Application app;
    private final Tags tags;

    ScalingGroupRenderer(Template template, Application app, Tags tags) {
        this.template = template;
        this.app = app;
        this.tags = tags;
    }

    void render(Service service, Optional<LoadBalancing> balancing, Target target) {
        launchTemplate(service, target);
        scalingGroup(service, balancing);
    }

    private void launchTemplate(Service service, Target target) {
        ObjectNode props = template.resource(LAUNCH_TEMPLATE, "AWS::EC2::LaunchTemplate");
        props.putArray("TagSpecifications").addObject().put("ResourceType", "launch-template").set("Tags", tags.list());
        ObjectNode data = props.putObject("LaunchTemplateData")
                .<ObjectNode>set("ImageId", Fn.ref(ServiceStackRenderer.IMAGE_ID))
                .put("InstanceType", service.instanceType());
        data.putObject("IamInstanceProfile").set("Name", EnvironmentExport.INSTANCE_PROFILE.importValue(app.name()));
        data.putArray("SecurityGroupIds")
                .add(Fn.getAtt(SecurityGroupRenderer.INSTANCE_GROUP, "GroupId"))
                .add(EnvironmentExport.APP_SECURITY_GROUP.importValue(app.name()));
        // IMDSv2 only, and one hop so that no container behind a bridge reaches the credentials.
        data.putObject("MetadataOptions")
                .put("HttpEndpoint", "enabled")
                .put("HttpTokens", "required")
                .put("HttpPutResponseHopLimit", 1);
        target.keyPair().ifPresent(key -> data.put("KeyName", key));
        data.set("UserData", Fn.base64(userData(service)));
        Tags instanceTags = tags.with(Tags.IMAGE_DIGEST, Fn.ref(ServiceStackRenderer.IMAGE_DIGEST));
        ArrayNode specs = data.putArray("TagSpecifications");
        for (String resourceType : new String[] {"instance", "volume"}) {
            specs.addObject().put("ResourceType", resourceType).set("Tags", instanceTags.list());
        }
    }

    /**
     * The VM's metadata. Only values that depend on the target go here, never secrets: user data
     * is readable by anyone who can describe the instance. No hosts: the private zone answers.
     */
    private String userData(Service service) {
        return new BootMetadata(app.name(), service.name(), app.zone(), List.of()).toJson();
    }

    private void scalingGroup(Service service, Optional<LoadBalancing> balancing) {
        String replicas = Integer.toString(service.replicas());
        ObjectNode props = template.resource(SCALING_GROUP, "AWS::AutoScaling::AutoScalingGroup")
                .put("MinSize", replicas)
                .put("MaxSize", replicas)
                .put("DesiredCapacity", replicas);
        props.putObject("LaunchTemplate")
                .<ObjectNode>set("LaunchTemplateId", Fn.ref(LAUNCH_TEMPLATE))
                .set("Version", Fn.getAtt(LAUNCH_TEMPLATE, "LatestVersionNumber"));
        props.set("VPCZoneIdentifier", EnvironmentExport.PRIVATE_SUBNETS.importList(app.name()));
        props.put("HealthCheckType", balancing.isPresent() ? "ELB" : "EC2");
        service.health().ifPresent(h -> props.put("HealthCheckGracePeriod", Math.max(0, h.gracePeriod().toSeconds())));
        balancing.ifPresent(b -> {
            ArrayNode arns = props.putArray("TargetGroupARNs");
            b.targetGroups().forEach(group -> arns.add(Fn.ref(group.logicalId())));
        });
        props.set("Tags", tags.propagatedAtLaunch());
        // Immutable updates: a new image means a new group beside the old one, and the old one is
        // removed only once the new one is created, so capacity never drops and a failed update
        // rolls back to instances that still run the old image.
        ObjectNode policy = Fn.object();
        policy.putObject("AutoScalingReplacingUpdate").put("WillReplace", true);
        template.attribute(SCALING_GROUP, "UpdatePolicy", policy);
    }
}
