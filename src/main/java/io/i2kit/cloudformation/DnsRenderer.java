package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;
import java.util.Optional;

/**
 * The names services are found by: {@code <service>.<app>.<domain>} in the application's private
 * zone, and for a public service its {@link PublicName} in the public zone when the target names one.
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

    void render(Service service, Optional<PublicName> publicName) {
        // Discovery names are never a zone apex and live in a zone of i2kit's own: a CNAME to the
        // load balancer's name is enough there.
        ObjectNode privateRecord = template.resource(PRIVATE_RECORD, "AWS::Route53::RecordSet")
                .put("Name", absolute(DiscoveryResolver.host(app, service.name())))
                .put("Type", "CNAME")
                .put("TTL", "60");
        privateRecord.putArray("ResourceRecords").add(Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "DNSName"));
        privateRecord.set("HostedZoneId", EnvironmentExport.HOSTED_ZONE_ID.importValue(app.name()));
        publicName.ifPresent(this::publicRecord);
    }

    /**
     * An alias A record: unlike a CNAME it may be the zone apex, Route 53 answers it with the load
     * balancer's current addresses at no query charge, and it has no TTL of its own. A only: the
     * load balancers are IPv4 ({@code IpAddressType} ipv4, the default), so an AAAA alias would
     * answer nothing. The zone is named, as when this record was a CNAME: a record's name and
     * zone cannot change in place, and a stack deployed with the CNAME then turns it into the
     * alias by an update of the same record.
     */
    private void publicRecord(PublicName name) {
        ObjectNode props = template.resource(PUBLIC_RECORD, "AWS::Route53::RecordSet")
                .put("Name", absolute(name.host()))
                .put("Type", "A");
        props.putObject("AliasTarget")
                .<ObjectNode>set("DNSName", Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "DNSName"))
                .<ObjectNode>set("HostedZoneId", Fn.getAtt(LoadBalancerRenderer.LOAD_BALANCER, "CanonicalHostedZoneID"))
                .put("EvaluateTargetHealth", false);
        props.put("HostedZoneName", absolute(name.zone()));
    }

    private static String absolute(String name) {
        return PublicName.stripDot(name) + ".";
    }
}
