package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTPS on AWS, asserted on the rendered templates of {@code cloudformation/https}: certificates
 * i2kit requests and validates in the public zone, the http → https redirect, the TLS policy, alias
 * records at the apex, the load balancers' attributes and the printed https endpoints.
 */
class HttpsRenderingTest {
    private static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

    static List<Fixtures.Case> cases() {
        return Fixtures.goldenCases();
    }

    private static Map<String, JsonNode> render(Target target) {
        return Fixtures.render(Fixtures.MANIFESTS.resolve("https/i2kit.yml"), target).stream()
                .collect(Collectors.toMap(RenderedTemplate::fileName, Fixtures::parse));
    }

    private static Map<String, JsonNode> requested() {
        return render(Fixtures.REQUESTED_CERTIFICATES);
    }

    @Test
    void withoutAGivenCertificateEachPublicServiceRequestsOneValidatedInThePublicZone() {
        Map<String, String> names = Map.of("service-web.json", "example.com", "service-legacy.json", "legacy.example.com",
                "service-mail.json", "mail.example.com");
        names.forEach((file, name) -> {
            JsonNode t = requested().get(file);
            JsonNode certificate = t.at("/Resources/Certificate");
            assertThat(certificate.path("Type").asText()).isEqualTo("AWS::CertificateManager::Certificate");
            assertThat(certificate.at("/Properties/DomainName").asText()).isEqualTo(name);
            assertThat(certificate.at("/Properties/ValidationMethod").asText()).isEqualTo("DNS");
            assertThat(certificate.at("/Properties/DomainValidationOptions")).hasSize(1);
            assertThat(certificate.at("/Properties/DomainValidationOptions/0/DomainName").asText()).isEqualTo(name);
            assertThat(certificate.at("/Properties/DomainValidationOptions/0/HostedZoneId"))
                    .isEqualTo(Fn.ref(LogicalIds.PUBLIC_ZONE_ID));
            assertThat(t.at("/Parameters/PublicZoneId/Type").asText()).isEqualTo("AWS::Route53::HostedZone::Id");
            assertThat(t.at("/Parameters/CertificateArn").isMissingNode()).isTrue();
        });
        JsonNode web = requested().get("service-web.json");
        assertThat(web.at("/Resources/ListenerHttps443/Properties/Certificates"))
                .containsExactly(Fn.object().set("CertificateArn", Fn.ref("Certificate")));
        assertThat(requested().get("service-mail.json").at("/Resources/ListenerTls465/Properties/Certificates/0/CertificateArn"))
                .isEqualTo(Fn.ref("Certificate"));
    }

    @Test
    void aGivenCertificateIsUsedAndNoneIsRequested() {
        render(Fixtures.NEW_VPC).forEach((file, t) -> {
            assertThat(CloudFormationRendererTest.resources(t, "AWS::CertificateManager::Certificate")).as(file).isEmpty();
            assertThat(t.at("/Parameters/PublicZoneId").isMissingNode()).as("no zone id to look up").isTrue();
            CloudFormationRendererTest.values(t, "CertificateArn")
                    .forEach(arn -> assertThat(arn.asText()).isEqualTo(Fixtures.CERTIFICATE));
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyHttpsAndTlsListenerUsesTheCurrentTlsPolicy(Fixtures.Case c) {
        for (RenderedTemplate rendered : c.render()) {
            for (JsonNode listener : CloudFormationRendererTest.resources(Fixtures.parse(rendered),
                    "AWS::ElasticLoadBalancingV2::Listener")) {
                String protocol = listener.at("/Properties/Protocol").asText();
                boolean tls = protocol.equals("HTTPS") || protocol.equals("TLS");
                assertThat(listener.at("/Properties/SslPolicy").asText()).as("%s %s", rendered.fileName(), protocol)
                        .isEqualTo(tls ? TLS_POLICY : "");
            }
        }
    }

    @Test
    void httpBesideHttpsOnTheSameInstancePortRedirectsWithA301() {
        JsonNode web = requested().get("service-web.json");
        JsonNode actions = web.at("/Resources/ListenerHttp80/Properties/DefaultActions");
        assertThat(actions).hasSize(1);
        assertThat(actions.at("/0/Type").asText()).isEqualTo("redirect");
        assertThat(actions.at("/0/RedirectConfig")).isEqualTo(Fn.object().put("Protocol", "HTTPS").put("Port", "443")
                .put("Host", "#{host}").put("Path", "/#{path}").put("Query", "#{query}").put("StatusCode", "HTTP_301"));
        // The https listener forwards to the one target group both share.
        assertThat(web.at("/Resources/ListenerHttps443/Properties/DefaultActions/0/TargetGroupArn"))
                .isEqualTo(Fn.ref("TargetGroupHttp80"));
        assertThat(CloudFormationRendererTest.resources(web, "AWS::ElasticLoadBalancingV2::TargetGroup")).hasSize(1);
    }

    /** Over every fixture and the generated application: redirect exactly where the model says, and only on an ALB. */
    @Test
    void everyListenerRedirectsExactlyWhereTheServiceSaysSo(@TempDir Path dir) {
        int redirects = 0;
        for (Fixtures.Case c : Fixtures.allCases(dir)) {
            Discovery discovery = Fixtures.discovery(c.manifest(), c.target());
            Map<String, JsonNode> templates = CloudFormationRenderer.render(discovery, c.target()).stream()
                    .collect(Collectors.toMap(RenderedTemplate::fileName, Fixtures::parse));
            for (Service service : discovery.application().services()) {
                JsonNode t = templates.get("service-" + service.name() + ".json");
                boolean alb = t.at("/Resources/LoadBalancer/Properties/Type").asText().equals("application");
                for (Port port : service.ports()) {
                    String id = "Listener" + port.lbProtocol().name().charAt(0)
                            + port.lbProtocol().lower().substring(1) + port.lbPort();
                    JsonNode action = t.at("/Resources/" + id + "/Properties/DefaultActions/0");
                    Optional<Port> to = alb ? service.redirectTarget(port) : Optional.empty();
                    assertThat(action.path("Type").asText()).as("%s %s %s", c.name(), service.name(), id)
                            .isEqualTo(to.isPresent() ? "redirect" : "forward");
                    if (to.isPresent()) {
                        redirects++;
                        assertThat(action.at("/RedirectConfig/Port").asText()).isEqualTo(Integer.toString(to.get().lbPort()));
                        assertThat(action.at("/RedirectConfig/StatusCode").asText()).isEqualTo("HTTP_301");
                    }
                }
            }
        }
        assertThat(redirects).as("redirects seen").isGreaterThan(20);
    }

    @Test
    void redirectHttpFalseKeepsServingHttp() {
        JsonNode legacy = requested().get("service-legacy.json");
        assertThat(legacy.at("/Resources/ListenerHttp8080/Properties/DefaultActions/0/Type").asText()).isEqualTo("forward");
        assertThat(legacy.at("/Resources/ListenerHttp8080/Properties/DefaultActions/0/TargetGroupArn"))
                .isEqualTo(Fn.ref("TargetGroupHttp80"));
        assertThat(CloudFormationRendererTest.values(legacy, "RedirectConfig")).isEmpty();
    }

    @Test
    void publicNamesAreAliasRecordsIncludingTheZoneApex() {
        Map<String, String> names = Map.of("service-web.json", "example.com.", "service-legacy.json", "legacy.example.com.",
                "service-mail.json", "mail.example.com.");
        names.forEach((file, name) -> {
            JsonNode record = requested().get(file).at("/Resources/PublicRecord/Properties");
            assertThat(record.path("Name").asText()).isEqualTo(name);
            assertThat(record.path("Type").asText()).isEqualTo("A");
            assertThat(record.has("TTL")).isFalse();
            assertThat(record.has("ResourceRecords")).isFalse();
            // Named as the CNAME it replaces named it: name and zone are immutable, so an update of a
            // stack deployed with the CNAME turns the same record into the alias in place.
            assertThat(record.path("HostedZoneName").asText()).isEqualTo("example.com.");
            assertThat(record.has("HostedZoneId")).isFalse();
            assertThat(record.at("/AliasTarget/DNSName")).isEqualTo(Fn.getAtt("LoadBalancer", "DNSName"));
            assertThat(record.at("/AliasTarget/HostedZoneId")).isEqualTo(Fn.getAtt("LoadBalancer", "CanonicalHostedZoneID"));
        });
        // No public zone: no public record and no zone parameter, only the discovery name.
        JsonNode plain = Fixtures.render(Fixtures.MANIFESTS.resolve("minimal/i2kit.yml"), Fixtures.PLAIN).stream()
                .filter(t -> t.fileName().startsWith("service-")).map(Fixtures::parse).findFirst().orElseThrow();
        assertThat(plain.at("/Resources/PublicRecord").isMissingNode()).isTrue();
        assertThat(plain.at("/Parameters/PublicZoneId").isMissingNode()).isTrue();
    }

    @Test
    void publicEndpointsAreHttpsWhereTheServiceServesHttps() {
        assertThat(requested().get("service-web.json").at("/Outputs/PublicUrl/Value").asText()).isEqualTo("https://example.com");
        assertThat(requested().get("service-legacy.json").at("/Outputs/PublicUrl/Value").asText())
                .isEqualTo("https://legacy.example.com:8443");
    }

    @Test
    void loadBalancersDropInvalidHeadersAndFollowTheEnvironmentFile() {
        JsonNode web = requested().get("service-web.json");
        assertThat(attributes(web)).containsExactly(
                "routing.http.drop_invalid_header_fields.enabled=true", "deletion_protection.enabled=true",
                "access_logs.s3.enabled=true", "access_logs.s3.bucket=store-logs", "access_logs.s3.prefix=lb");
        // An NLB has no HTTP headers to drop.
        assertThat(attributes(requested().get("service-mail.json"))).containsExactly("deletion_protection.enabled=true",
                "access_logs.s3.enabled=true", "access_logs.s3.bucket=store-logs", "access_logs.s3.prefix=lb");
        // Unset, they are written off, so removing a setting from the file turns it off.
        assertThat(attributes(render(Fixtures.NEW_VPC).get("service-web.json"))).containsExactly(
                "routing.http.drop_invalid_header_fields.enabled=true", "deletion_protection.enabled=false",
                "access_logs.s3.enabled=false");
        Target logsOnly = Fixtures.NEW_VPC.withLoadBalancer(
                new Target.LoadBalancer(Optional.of(new Target.AccessLogs("b", "")), false));
        assertThat(attributes(render(logsOnly).get("service-web.json"))).contains("access_logs.s3.prefix=");
    }

    private static List<String> attributes(JsonNode template) {
        return java.util.stream.StreamSupport.stream(
                        template.at("/Resources/LoadBalancer/Properties/LoadBalancerAttributes").spliterator(), false)
                .map(a -> a.path("Key").asText() + "=" + a.path("Value").asText()).toList();
    }
}
