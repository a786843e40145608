package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Target;
import java.util.Optional;

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

    /** {@code certificate}: the ARN the https/tls listeners present when the environment file names none. */
    void render(LoadBalancing balancing, HealthCheck health, Target target, Optional<JsonNode> certificate) {
        EnvironmentExport subnets = balancing.isPublic() ? EnvironmentExport.PUBLIC_SUBNETS : EnvironmentExport.PRIVATE_SUBNETS;
        ObjectNode lb = template.resource(LOAD_BALANCER, "AWS::ElasticLoadBalancingV2::LoadBalancer")
                .put("Type", balancing.type().awsName)
                .put("Scheme", balancing.isPublic() ? "internet-facing" : "internal")
                .set("Subnets", subnets.importList(application));
        // Also on NLBs: a security group can only be given when an NLB is created, it lets the
        // instances admit the load balancer alone, and the emulator needs it.
        lb.putArray("SecurityGroups").add(Fn.getAtt(SecurityGroupRenderer.LOAD_BALANCER_GROUP, "GroupId"));
        lb.set("LoadBalancerAttributes", attributes(balancing.type(), target.loadBalancer()));
        lb.set("Tags", tags.list());
        for (LoadBalancing.TargetGroup group : balancing.targetGroups()) {
            targetGroup(group, health);
        }
        for (LoadBalancing.Listener listener : balancing.listeners()) {
            listener(listener, target, certificate);
        }
    }

    /**
     * Every attribute the environment file governs is written, set or not: removing a setting from
     * the file then turns it off, where a missing attribute would leave the last value in place.
     */
    private static ArrayNode attributes(LoadBalancing.Type type, Target.LoadBalancer settings) {
        ArrayNode attributes = Fn.array();
        if (type == LoadBalancing.Type.APPLICATION) {
            // Requests with header names that are not valid HTTP never reach the service.
            attribute(attributes, "routing.http.drop_invalid_header_fields.enabled", "true");
        }
        attribute(attributes, "deletion_protection.enabled", Boolean.toString(settings.deletionProtection()));
        attribute(attributes, "access_logs.s3.enabled", Boolean.toString(settings.accessLogs().isPresent()));
        settings.accessLogs().ifPresent(logs -> {
            attribute(attributes, "access_logs.s3.bucket", logs.bucket());
            attribute(attributes, "access_logs.s3.prefix", logs.prefix());
        });
        return attributes;
    }

    private static void attribute(ArrayNode attributes, String key, String value) {
        attributes.addObject().put("Key", key).put("Value", value);
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

    private void listener(LoadBalancing.Listener listener, Target target, Optional<JsonNode> requested) {
        ObjectNode props = template.resource(listener.logicalId(), "AWS::ElasticLoadBalancingV2::Listener")
                .<ObjectNode>set("LoadBalancerArn", Fn.ref(LOAD_BALANCER))
                .put("Port", listener.port())
                .put("Protocol", listener.protocol());
        if (listener.needsCertificate()) {
            props.put("SslPolicy", CertificateRenderer.TLS_POLICY);
            ObjectNode certificate = props.putArray("Certificates").addObject();
            if (target.certificate().isPresent()) {
                certificate.put("CertificateArn", target.certificate().get());
            } else if (requested.isPresent()) {
                certificate.set("CertificateArn", requested.get());
            } else {
                // The validator refuses an AWS environment where neither exists; a template rendered
                // for another target takes the ARN as a parameter instead, so it stays deployable.
                template.parameter(CERTIFICATE_PARAMETER, "String", "ARN of the certificate for the https/tls listeners");
                certificate.set("CertificateArn", Fn.ref(CERTIFICATE_PARAMETER));
            }
        }
        ArrayNode actions = props.putArray("DefaultActions");
        if (listener.redirectPort().isPresent()) {
            // Host, path and query stay as the client sent them; only scheme and port change.
            actions.addObject().put("Type", "redirect").putObject("RedirectConfig")
                    .put("Protocol", "HTTPS")
                    .put("Port", Integer.toString(listener.redirectPort().get()))
                    .put("Host", "#{host}")
                    .put("Path", "/#{path}")
                    .put("Query", "#{query}")
                    .put("StatusCode", "HTTP_301");
        } else {
            actions.addObject().put("Type", "forward").set("TargetGroupArn", Fn.ref(listener.target().logicalId()));
        }
    }
}
