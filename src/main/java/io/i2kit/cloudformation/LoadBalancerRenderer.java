package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Target;

/**
 * A service's load balancer, one listener per port and one target group per instance port. Names
 * are left to CloudFormation so that a replacement never collides with the resource it replaces.
 */
final class LoadBalancerRenderer {
    static final String CERTIFICATE_PARAMETER = "CertificateArn";

    static final String LOAD_BALANCER = "LoadBalancer";

    private final Template template;
    private final String application;
    private final Tags tags;

    LoadBalancerRenderer(Template template, String application, Tags tags) {
        this.template = template;
        this.application = application;
        this.tags = tags;
    }

    void render(LoadBalancing balancing, HealthCheck health, Target target) {
        EnvironmentExport subnets = balancing.isPublic() ? EnvironmentExport.PUBLIC_SUBNETS : EnvironmentExport.PRIVATE_SUBNETS;
        ObjectNode lb = template.resource(LOAD_BALANCER, "AWS::ElasticLoadBalancingV2::LoadBalancer")
                .put("Type", balancing.type().awsName)
                .put("Scheme", balancing.isPublic() ? "internet-facing" : "internal")
                .set("Subnets", subnets.importList(application));
        // Also on NLBs: a security group can only be given when an NLB is created, it lets the
        // instances admit the load balancer alone, and the emulator needs it.
        lb.putArray("SecurityGroups").add(Fn.getAtt(SecurityGroupRenderer.LOAD_BALANCER_GROUP, "GroupId"));
        lb.set("Tags", tags.list());
        for (LoadBalancing.TargetGroup group : balancing.targetGroups()) {
            targetGroup(group, health);
        }
        for (LoadBalancing.Listener listener : balancing.listeners()) {
            listener(listener, target);
        }
    }

    private void targetGroup(LoadBalancing.TargetGroup group, HealthCheck health) {
        ObjectNode tg = template.resource(group.logicalId(), "AWS::ElasticLoadBalancingV2::TargetGroup")
                .put("Protocol", group.protocol())
                .put("Port", group.port())
                .put("TargetType", "instance")
                .<ObjectNode>set("VpcId", EnvironmentExport.VPC_ID.importValue(application))
                .put("HealthCheckEnabled", true)
                .put("HealthCheckProtocol", health.protocol())
                .put("HealthCheckPort", Integer.toString(health.port()));
        health.path().ifPresent(path -> tg.put("HealthCheckPath", path));
        tg.put("HealthCheckIntervalSeconds", health.intervalSeconds())
                .put("HealthCheckTimeoutSeconds", health.timeoutSeconds())
                .put("HealthyThresholdCount", health.healthyThreshold())
                .put("UnhealthyThresholdCount", health.unhealthyThreshold());
        health.matcher().ifPresent(codes -> tg.putObject("Matcher").put("HttpCode", codes));
        // Old instances leave quickly during a replacing update; the 300 s default only slows it.
        tg.putArray("TargetGroupAttributes").addObject()
                .put("Key", "deregistration_delay.timeout_seconds").put("Value", "30");
        tg.set("Tags", tags.list());
    }

    private void listener(LoadBalancing.Listener listener, Target target) {
        ObjectNode props = template.resource(listener.logicalId(), "AWS::ElasticLoadBalancingV2::Listener")
                .<ObjectNode>set("LoadBalancerArn", Fn.ref(LOAD_BALANCER))
                .put("Port", listener.port())
                .put("Protocol", listener.protocol());
        if (listener.needsCertificate()) {
            // AWS environments must name a certificate (the validator says so); a template rendered
            // for another target takes it as a parameter instead, so it stays deployable.
            ObjectNode certificate = props.putArray("Certificates").addObject();
            if (target.certificate().isPresent()) {
                certificate.put("CertificateArn", target.certificate().get());
            } else {
                template.parameter(CERTIFICATE_PARAMETER, "String", "ARN of the certificate for the https/tls listeners");
                certificate.set("CertificateArn", Fn.ref(CERTIFICATE_PARAMETER));
            }
        }
        ArrayNode actions = props.putArray("DefaultActions");
        actions.addObject().put("Type", "forward").set("TargetGroupArn", Fn.ref(listener.target().logicalId()));
    }
}
