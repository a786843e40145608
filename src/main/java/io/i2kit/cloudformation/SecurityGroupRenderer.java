package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * A service's two security groups. The load balancer's accepts its listener ports from the world
 * for a public service, otherwise only from the application security group. The instances' accepts
 * the instance ports and the health port from the load balancer's group only (which also holds for
 * an NLB with client IP preservation). Nothing else is open.
 */
final class SecurityGroupRenderer {
    static final String LOAD_BALANCER_GROUP = "LoadBalancerSecurityGroup";
    static final String INSTANCE_GROUP = "InstanceSecurityGroup";

    private final Template template;
    private final String application;
    private final Tags tags;

    SecurityGroupRenderer(Template template, String application, Tags tags) {
        this.template = template;
        this.application = application;
        this.tags = tags;
    }

    void render(Service service, Optional<LoadBalancing> balancing, Optional<HealthCheck> health) {
        ArrayNode instanceIngress = Fn.array();
        if (balancing.isPresent()) {
            ArrayNode lbIngress = Fn.array();
            for (Rule rule : rules(service, true)) {
                if (balancing.get().isPublic()) {
                    lbIngress.add(rule.node("listener port, from anywhere").put("CidrIp", "0.0.0.0/0"));
                    lbIngress.add(rule.node("listener port, from anywhere").put("CidrIpv6", "::/0"));
                } else {
                    lbIngress.add(rule.node("listener port, from the application")
                            .set("SourceSecurityGroupId", EnvironmentExport.APP_SECURITY_GROUP.importValue(application)));
                }
            }
            group(LOAD_BALANCER_GROUP, "Load balancer of " + service.name(), lbIngress);
            Set<Rule> instanceRules = rules(service, false);
            health.ifPresent(h -> instanceRules.add(new Rule("tcp", h.port())));
            for (Rule rule : instanceRules) {
                instanceIngress.add(rule.node("from the load balancer")
                        .set("SourceSecurityGroupId", Fn.getAtt(LOAD_BALANCER_GROUP, "GroupId")));
            }
        }
        group(INSTANCE_GROUP, "Instances of " + service.name(), instanceIngress);
    }

    private void group(String logicalId, String description, ArrayNode ingress) {
        ObjectNode group = template.resource(logicalId, "AWS::EC2::SecurityGroup")
                .put("GroupDescription", description)
                .set("VpcId", EnvironmentExport.VPC_ID.importValue(application));
        if (!ingress.isEmpty()) {
            group.set("SecurityGroupIngress", ingress);
        }
        group.set("Tags", tags.list());
    }

    /** Distinct (transport, port) pairs in manifest order. */
    private static Set<Rule> rules(Service service, boolean listenerSide) {
        Set<Rule> rules = new LinkedHashSet<>();
        for (Port port : service.ports()) {
            Protocol protocol = listenerSide ? port.lbProtocol() : port.instanceProtocol();
            rules.add(new Rule(protocol == Protocol.UDP ? "udp" : "tcp", listenerSide ? port.lbPort() : port.instancePort()));
        }
        return rules;
    }

    private record Rule(String transport, int port) {
        ObjectNode node(String description) {
            return Fn.object().put("IpProtocol", transport).put("FromPort", port).put("ToPort", port)
                    .put("Description", transport + "/" + port + " " + description);
        }
    }
}
