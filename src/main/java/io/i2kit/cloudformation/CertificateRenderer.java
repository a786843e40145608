package io.i2kit.cloudformation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The certificate of a public service's https/tls listeners when the environment file names none:
 * an ACM certificate for the service's public name, validated by DNS. CloudFormation writes the
 * validation record into the public zone itself (the zone's id in the validation option) and
 * completes the resource only once ACM has issued the certificate, so the listeners never refer
 * to one that is pending.
 */
final class CertificateRenderer {
    static final String CERTIFICATE = "Certificate";
    /** The TLS policy of every https/tls listener: TLS 1.3 and 1.2 only, forward secrecy. */
    static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    private final Template template;
    private final Tags tags;

    CertificateRenderer(Template template, Tags tags) {
        this.template = template;
        this.tags = tags;
    }

    /**
     * Adds the certificate for {@code name} and returns its ARN ({@code Ref}). ACM's validation
     * option takes the zone by id, not by name, so the stack takes the id as a parameter the
     * provider fills (see {@link LogicalIds#certificateZone}).
     */
    JsonNode render(PublicName name) {
        template.parameter(LogicalIds.PUBLIC_ZONE_ID, "AWS::Route53::HostedZone::Id",
                "The id of the public hosted zone " + name.zone() + " (i2kit fills it)");
        ObjectNode props = template.resource(CERTIFICATE, "AWS::CertificateManager::Certificate")
                .put("DomainName", name.host())
                .put("ValidationMethod", "DNS");
        props.putArray("DomainValidationOptions").addObject()
                .put("DomainName", name.host())
                .set("HostedZoneId", Fn.ref(LogicalIds.PUBLIC_ZONE_ID));
        props.set("Tags", tags.list());
        return Fn.ref(CERTIFICATE);
    }
}
