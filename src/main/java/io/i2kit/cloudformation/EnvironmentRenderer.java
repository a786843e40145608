package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;

/**
 * The stack shared by an application's services: network, the application security group, the
 * private hosted zone that discovery names resolve in, and the instances' role. Everything a
 * service stack needs from it is exported (see {@link EnvironmentExport}).
 */
final class EnvironmentRenderer {
    static final String APP_SECURITY_GROUP = "AppSecurityGroup";
    static final String HOSTED_ZONE = "HostedZone";
    static final String INSTANCE_ROLE = "InstanceRole";
    static final String INSTANCE_PROFILE = "InstanceProfile";

    private EnvironmentRenderer() {
    }

    static String render(Application app, Target target) {
        Template template = new Template("i2kit environment of application " + app.name());
        Tags tags = Tags.application(app.name());
        Network network = new NetworkRenderer(template, tags).render(target);

        // Every instance of the application carries this group; internal load balancers accept
        // traffic from it only, which is what "inside the environment" means.
        template.resource(APP_SECURITY_GROUP, "AWS::EC2::SecurityGroup")
                .put("GroupDescription", "Instances of i2kit application " + app.name())
                .<ObjectNode>set("VpcId", network.vpcId())
                .set("Tags", tags.list());

        ObjectNode zone = template.resource(HOSTED_ZONE, "AWS::Route53::HostedZone").put("Name", app.zone());
        zone.putObject("HostedZoneConfig").put("Comment", "Discovery names of i2kit application " + app.name());
        zone.putArray("VPCs").addObject()
                .<ObjectNode>set("VPCId", network.vpcId())
                .set("VPCRegion", Fn.ref("AWS::Region"));
        zone.set("HostedZoneTags", tags.list());

        // No policies: the VM needs no AWS API. The profile exists so permissions can be granted
        // later without replacing launch templates.
        ObjectNode role = template.resource(INSTANCE_ROLE, "AWS::IAM::Role");
        ObjectNode policy = role.putObject("AssumeRolePolicyDocument").put("Version", "2012-10-17");
        ObjectNode statement = policy.putArray("Statement").addObject().put("Effect", "Allow");
        statement.putObject("Principal").put("Service", "ec2.amazonaws.com");
        statement.put("Action", "sts:AssumeRole");
        role.put("Description", "Instances of i2kit application " + app.name());
        role.set("Tags", tags.list());
        template.resource(INSTANCE_PROFILE, "AWS::IAM::InstanceProfile").putArray("Roles").add(Fn.ref(INSTANCE_ROLE));

        export(template, app, EnvironmentExport.VPC_ID, "The VPC", network.vpcId());
        export(template, app, EnvironmentExport.PUBLIC_SUBNETS, "Subnets of internet-facing load balancers",
                network.publicSubnets());
        export(template, app, EnvironmentExport.PRIVATE_SUBNETS, "Subnets of instances and internal load balancers",
                network.privateSubnets());
        export(template, app, EnvironmentExport.APP_SECURITY_GROUP, "Security group of every instance",
                Fn.ref(APP_SECURITY_GROUP));
        export(template, app, EnvironmentExport.HOSTED_ZONE_ID, "Private hosted zone " + app.zone(),
                Fn.ref(HOSTED_ZONE));
        export(template, app, EnvironmentExport.INSTANCE_PROFILE, "Instance profile name", Fn.ref(INSTANCE_PROFILE));
        if (app.services().stream().anyMatch(Service::isStateful)) {
            subnetExports(template, app, network);
            new SnapshotPolicyRenderer(template, app.name(), tags).render(target);
        }
        return template.toJson();
    }

    /**
     * Each private subnet and its zone, numbered from 1. A volume lives in one zone and its replica
     * must run there: a service stack pins a replica to a subnet and its volumes to that zone.
     */
    private static void subnetExports(Template template, Application app, Network network) {
        for (int i = 1; i <= network.privateSubnetList().size(); i++) {
            JsonNode subnetZone;
            if (network.privateSubnetZones().isEmpty()) {
                template.parameter(LogicalIds.subnetZone(i), "AWS::EC2::AvailabilityZone::Name",
                        "The availability zone of subnet " + network.privateSubnetList().get(i - 1).asText()
                                + " (i2kit fills it)");
                subnetZone = Fn.ref(LogicalIds.subnetZone(i));
            } else {
                subnetZone = network.privateSubnetZones().get(i - 1);
            }
            template.exportedOutput(EnvironmentExport.PRIVATE_SUBNET.outputName(i), "Private subnet " + i,
                    network.privateSubnetList().get(i - 1), EnvironmentExport.PRIVATE_SUBNET.exportName(app.name()) + i);
            template.exportedOutput(EnvironmentExport.PRIVATE_SUBNET_ZONE.outputName(i), "Availability zone of private subnet " + i,
                    subnetZone, EnvironmentExport.PRIVATE_SUBNET_ZONE.exportName(app.name()) + i);
        }
    }

    private static void export(Template template, Application app, EnvironmentExport export, String description,
                               JsonNode value) {
        template.exportedOutput(export.outputName(), description, value, export.exportName(app.name()));
    }
}
