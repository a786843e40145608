package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.ServiceEndpoint;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The stack of one service: its security groups, load balancer, log group, role, scaling group
 * (with its scaling policy) and DNS names. It reads only the environment stack's exports, never
 * another service's stack, so services deploy in any order. Logical ids depend only on the service's ports, so a re-render changes only what
 * changed in the manifest.
 */
final class ServiceStackRenderer {
    static final String IMAGE_ID = "ImageId";
    static final String IMAGE_DIGEST = "ImageDigest";

    private ServiceStackRenderer() {
    }

    static String render(Discovery discovery, Service service, Target target) {
        Application app = discovery.application();
        Template template = new Template("i2kit service " + service.name() + " of application " + app.name());
        template.parameter(IMAGE_ID, "AWS::EC2::Image::Id", "The machine image built for " + service.name());
        template.parameter(IMAGE_DIGEST, "String", "Digest of the image's content, for tags");
        Tags tags = Tags.service(app.name(), service.name());

        Optional<LoadBalancing> balancing = LoadBalancing.of(service);
        Optional<HealthCheck> health = balancing.map(b -> HealthCheck.of(service, b.type()));
        new SecurityGroupRenderer(template, app.name(), tags).render(service, balancing, health);
        Optional<PublicName> publicName = PublicName.of(service, target);
        Optional<JsonNode> certificate = publicName.filter(name -> LogicalIds.requestsCertificate(service, target))
                .map(name -> new CertificateRenderer(template, tags).render(name));
        balancing.ifPresent(b -> new LoadBalancerRenderer(template, app.name(), tags)
                .render(b, health.orElseThrow(), target, certificate));
        List<List<VolumeRenderer.ReplicaVolume>> volumes = new ArrayList<>();
        if (service.isStateful()) {
            VolumeRenderer renderer = new VolumeRenderer(template, app.name(), tags, NetworkRenderer.privateSubnetCount(target));
            for (int replica = 1; replica <= service.replicas(); replica++) {
                volumes.add(renderer.render(service, replica));
            }
        }
        LogicalIds.secretVersionParameters(service).forEach((parameter, secret) -> template.parameter(parameter, "Number",
                "Version of secret " + secret + " (SSM parameter /i2kit/" + app.name() + "/" + secret + "), filled by i2kit"));
        new LogGroupRenderer(template, app, tags).render(service);
        new InstanceRoleRenderer(template, app.name(), tags).render(service,
                volumes.stream().flatMap(List::stream).toList());
        new ScalingGroupRenderer(template, app, tags).render(service, balancing, target, volumes);
        if (balancing.isPresent()) {
            new DnsRenderer(template, app).render(service, publicName);
            outputs(template, discovery, service, publicName);
        }
        return template.toJson();
    }

    private static void outputs(Template template, Discovery discovery, Service service, Optional<PublicName> publicName) {
        ServiceEndpoint endpoint = discovery.endpoint(service.name()).orElseThrow(() -> new IllegalArgumentException(
                "service " + service.name() + " exposes ports but discovery has no endpoint for it"));
        JsonNode lbDns = Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "DNSName");
        template.output("Endpoint", "How the other services reach " + service.name(), Fn.text(endpoint.endpoint()));
        template.output("LoadBalancerDnsName", "The load balancer's own DNS name", lbDns);
        if (service.isPublic()) {
            Port shown = publicPort(service);
            String prefix = shown.lbProtocol().lower() + "://";
            String suffix = isDefaultPort(shown) ? "" : ":" + shown.lbPort();
            JsonNode url = publicName.<JsonNode>map(name -> Fn.text(prefix + name.host() + suffix))
                    .orElseGet(() -> Fn.join("", Fn.text(prefix), lbDns, Fn.text(suffix)));
            template.output("PublicUrl", "Where the world reaches " + service.name(), url);
        }
    }

    /** The port a public service is shown by: its first https port, where the http one redirects; else its first. */
    private static Port publicPort(Service service) {
        return service.ports().stream().filter(p -> p.lbProtocol() == Protocol.HTTPS).findFirst()
                .orElse(service.ports().get(0));
    }

    private static boolean isDefaultPort(Port port) {
        return port.lbProtocol() == Protocol.HTTP && port.lbPort() == 80
                || port.lbProtocol() == Protocol.HTTPS && port.lbPort() == 443;
    }
}
