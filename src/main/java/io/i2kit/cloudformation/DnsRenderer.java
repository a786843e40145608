package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;

/**
 * The names services are found by: {@code <service>.<app>.<domain>} in the application's private
 * zone, and for a public service {@code <service>.<public zone>} when the target names one.
 */
final class DnsRenderer {
    static final String PRIVATE_RECORD = "PrivateRecord";
    static final String PUBLIC_RECORD = "PublicRecord";

    private final Template template;
    private final Application app;

    DnsRenderer(Template template, Application app) {
        this.template = template;
        this.app = app;
    }

    void render(Service service, Target target) {
        record(PRIVATE_RECORD, DiscoveryResolver.host(app, service.name()))
                .set("HostedZoneId", EnvironmentExport.HOSTED_ZONE_ID.importValue(app.name()));
        if (service.isPublic()) {
            target.publicZone().ifPresent(zone ->
                    record(PUBLIC_RECORD, publicHost(service, zone)).put("HostedZoneName", absolute(zone)));
        }
    }

    static String publicHost(Service service, String publicZone) {
        return service.name() + "." + stripDot(publicZone);
    }

    private ObjectNode record(String logicalId, String host) {
        ObjectNode props = template.resource(logicalId, "AWS::Route53::RecordSet")
                .put("Name", absolute(host))
                .put("Type", "CNAME")
                .put("TTL", "60");
        // A CNAME to the load balancer's own name rather than an alias: these names are never a
        // zone apex, the load balancer's name already follows its changing addresses, and moto (the
        // emulator the tests deploy to) does not implement the alias's CanonicalHostedZoneID.
        props.putArray("ResourceRecords").add(Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "DNSName"));
        return props;
    }

    private static String absolute(String name) {
        return stripDot(name) + ".";
    }

    private static String stripDot(String name) {
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }
}
