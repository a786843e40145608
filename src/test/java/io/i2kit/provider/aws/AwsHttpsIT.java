package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.InvalidInputException;
import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.event.Events;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.oci.Digest;
import io.i2kit.provider.Release;
import io.i2kit.provider.aws.stack.StackTimings;
import io.i2kit.testing.MotoServer;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.ElasticLoadBalancingV2Client;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.Listener;
import software.amazon.awssdk.services.elasticloadbalancingv2.model.LoadBalancer;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * HTTPS on a domain, deployed to moto through the AWS operations {@code up} runs: the {@code https}
 * fixture (web at the zone apex with http redirected, legacy keeping http, mail's tls on an NLB)
 * with {@code public_zone: example.com} and no certificate, then with a given one; first, a zone
 * Route 53 does not have, and a private zone of the public zone's name, are refused.
 *
 * <p>moto issues a certificate at once and resolves no DNS, so what it shows is the wiring: the
 * certificate ACM holds for the name, its validation record in the public zone, the listeners that
 * present it with the TLS policy, the redirect, the balancers' attributes and the alias records as
 * Route 53 serves them. What it cannot show is in docs/aws.md ("What moto cannot show of HTTPS").
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsHttpsIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String APP = "store";
    private static final String TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";
    private static final StackTimings FAST = new StackTimings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(60));

    private static Discovery discovery;
    private static Map<String, BuiltImage> images;
    private static CloudFormationClient cloudFormation;
    private static Route53Client route53;
    private static ElasticLoadBalancingV2Client loadBalancing;
    private static String publicZone;
    private static String privateZone;

    @BeforeAll
    static void zonesAndImages(CloudFormationClient cloudFormation, Route53Client route53, Ec2Client ec2) throws Exception {
        AwsHttpsIT.cloudFormation = cloudFormation;
        AwsHttpsIT.route53 = route53;
        loadBalancing = MOTO.context().client(ElasticLoadBalancingV2Client.builder());
        String vpc = ec2.createVpc(r -> r.cidrBlock("10.9.0.0/16")).vpc().vpcId();
        privateZone = id(route53.createHostedZone(r -> r.name("example.com").callerReference("private")
                .vpc(v -> v.vpcId(vpc).vpcRegion(MotoServer.REGION))
                .hostedZoneConfig(c -> c.privateZone(true).comment("split horizon"))).hostedZone().id());
        publicZone = id(route53.createHostedZone(r -> r.name("example.com").callerReference("public")).hostedZone().id());

        Path manifestFile = Path.of("src/test/resources/cloudformation/https/i2kit.yml");
        Manifest manifest = ManifestReader.read(manifestFile);
        Problems problems = new Problems();
        discovery = DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);
        ManifestValidator.validate(manifest.application(), target(Optional.empty()), manifest.sources(), problems);
        problems.throwIfErrors(manifestFile.toString());
        Path dir = Files.createDirectories(Path.of("target/https-it").toAbsolutePath());
        images = new LinkedHashMap<>();
        for (Service s : discovery.application().services()) {
            Path efi = dir.resolve(s.name() + "-efi.img");
            try (RandomAccessFile disk = new RandomAccessFile(efi.toFile(), "rw")) {
                disk.setLength(2L << 20);
                disk.write(("a disk of " + s.name()).getBytes(StandardCharsets.US_ASCII));
            }
            images.put(s.name(), new BuiltImage(s.name(), Digest.of(("https-it " + s.name()).getBytes(StandardCharsets.UTF_8)),
                    efi, efi, "", Optional.of(efi), null, true));
        }
    }

    @AfterAll
    static void down() {
        operations().down(APP, false, false, false);
        loadBalancing.close();
    }

    /** eu-west-1, public names in example.com, access logs; the certificate as given. */
    private static Target target(Optional<String> certificate) {
        return new Target(Target.Provider.AWS, Optional.of(MotoServer.REGION), Optional.empty(), List.of(),
                Optional.of("example.com"), certificate, Optional.empty())
                .withLoadBalancer(new Target.LoadBalancer(Optional.of(new Target.AccessLogs("store-logs", "lb")), false));
    }

    private static AwsRelease release(Target target) {
        return AwsProvider.awsRelease(new Release(discovery, target, images, CloudFormationRenderer.render(discovery, target)));
    }

    private static AwsOperations operations() {
        return new AwsOperations(MOTO.context(), Events.NONE, FAST, Duration.ofSeconds(30));
    }

    @Test
    @Order(1)
    void aPublicZoneRoute53DoesNotHaveStopsUpBeforeAnythingIsMade() {
        Target missing = new Target(Target.Provider.AWS, Optional.of(MotoServer.REGION), Optional.empty(), List.of(),
                Optional.of("shop.example.org"), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> operations().up(release(missing)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("public_zone shop.example.org: Route 53 has no public hosted zone of that name in this account; "
                        + "create it (and delegate the domain to its name servers), or fix public_zone in the environment file");
        assertThat(ApplicationStacks.of(cloudFormation, APP)).as("nothing deployed").isEmpty();
    }

    /**
     * The alias records name their zone (so that a stack deployed with the CNAMEs updates in
     * place), which a private zone of the same name makes ambiguous: moto then writes into the
     * private one, and CloudFormation refuses. i2kit says so first.
     */
    @Test
    @Order(2)
    void aPrivateZoneOfTheSameNameIsRefusedBeforeAnythingIsMade() {
        assertThatThrownBy(() -> operations().plan(release(target(Optional.empty()))))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("public_zone example.com: this account also has a private hosted zone of that name ("
                        + privateZone + "), and CloudFormation finds the zone of the public names by name; use a public "
                        + "zone whose name no private zone shares (a subdomain such as app.example.com delegated to its own zone)");
        assertThat(ApplicationStacks.of(cloudFormation, APP)).as("nothing deployed").isEmpty();
        route53.deleteHostedZone(r -> r.id(privateZone));
    }

    @Test
    @Order(3)
    void upRequestsACertificatePerPublicNameValidatedInThePublicZone() throws Exception {
        AwsDeployment up = operations().up(release(target(Optional.empty())));

        Map<String, String> urls = up.status().services().stream().filter(s -> s.publicUrl().isPresent())
                .collect(Collectors.toMap(AwsStatus.ServiceState::name, s -> s.publicUrl().get()));
        assertThat(urls).containsEntry("web", "https://example.com").containsEntry("legacy", "https://legacy.example.com:8443");

        for (Map.Entry<String, String> e : Map.of("web", "example.com", "legacy", "legacy.example.com", "mail",
                "mail.example.com").entrySet()) {
            String arn = physicalId(stack(e.getKey()), "Certificate");
            JsonNode certificate = acm("DescribeCertificate", "{\"CertificateArn\": \"" + arn + "\"}").path("Certificate");
            assertThat(certificate.path("DomainName").asText()).isEqualTo(e.getValue());
            assertThat(certificate.path("Status").asText()).as("issued once its validation record is in the zone")
                    .isEqualTo("ISSUED");
            JsonNode validation = certificate.at("/DomainValidationOptions/0");
            assertThat(validation.path("ValidationMethod").asText()).isEqualTo("DNS");
            String recordName = validation.at("/ResourceRecord/Name").asText();
            assertThat(records(publicZone)).as("the validation record, in the public zone")
                    .anySatisfy(r -> {
                        assertThat(r.name()).isEqualTo(recordName);
                        assertThat(r.typeAsString()).isEqualTo("CNAME");
                        assertThat(r.resourceRecords().get(0).value()).isEqualTo(validation.at("/ResourceRecord/Value").asText());
                    });
            // every https/tls listener of the service presents it, with the TLS policy
            List<Listener> tls = listeners(e.getKey()).stream()
                    .filter(l -> List.of("HTTPS", "TLS").contains(l.protocolAsString())).toList();
            assertThat(tls).isNotEmpty().allSatisfy(l -> {
                assertThat(l.sslPolicy()).isEqualTo(TLS_POLICY);
                assertThat(l.certificates()).extracting(c -> c.certificateArn()).containsExactly(arn);
            });
        }
    }

    @Test
    @Order(4)
    void httpRedirectsWhereHttpsServesTheSamePortAndNowhereElse() {
        Listener http = listener("web", 80);
        assertThat(http.defaultActions()).hasSize(1);
        var redirect = http.defaultActions().get(0).redirectConfig();
        assertThat(redirect.protocol()).isEqualTo("HTTPS");
        assertThat(redirect.port()).isEqualTo("443");
        assertThat(redirect.statusCodeAsString()).isEqualTo("HTTP_301");
        assertThat(redirect.host() + redirect.path() + "?" + redirect.query()).isEqualTo("#{host}/#{path}?#{query}");
        assertThat(listener("legacy", 8080).defaultActions().get(0).typeAsString()).as("redirect_http: false")
                .isEqualTo("forward");
        assertThat(listener("mail", 25).defaultActions().get(0).typeAsString()).isEqualTo("forward");
    }

    @Test
    @Order(5)
    void balancersDropInvalidHeadersAndLogToTheBucket() {
        Map<String, String> web = attributes("web");
        assertThat(web).containsEntry("routing.http.drop_invalid_header_fields.enabled", "true")
                .containsEntry("deletion_protection.enabled", "false")
                .containsEntry("access_logs.s3.enabled", "true")
                .containsEntry("access_logs.s3.bucket", "store-logs")
                .containsEntry("access_logs.s3.prefix", "lb");
        assertThat(attributes("mail")).containsEntry("access_logs.s3.bucket", "store-logs");
    }

    @Test
    @Order(6)
    void publicNamesAreAliasRecordsToTheirBalancersIncludingTheApex() {
        List<ResourceRecordSet> records = records(publicZone);
        for (Map.Entry<String, String> e : Map.of("web", "example.com.", "legacy", "legacy.example.com.", "mail",
                "mail.example.com.").entrySet()) {
            LoadBalancer lb = loadBalancer(e.getKey());
            List<ResourceRecordSet> named = records.stream().filter(r -> r.name().equals(e.getValue()))
                    .filter(r -> !List.of("NS", "SOA").contains(r.typeAsString())).toList();
            assertThat(named).as(e.getValue()).hasSize(1);
            ResourceRecordSet alias = named.get(0);
            assertThat(alias.typeAsString()).isEqualTo("A");
            assertThat(alias.aliasTarget().dnsName()).isEqualTo(lb.dnsName());
            assertThat(alias.aliasTarget().hostedZoneId()).isEqualTo(lb.canonicalHostedZoneId());
            assertThat(alias.resourceRecords()).isEmpty();
        }
    }

    @Test
    @Order(7)
    void aGivenCertificateReplacesTheRequestedOnes() throws Exception {
        String given = acm("RequestCertificate", "{\"DomainName\": \"example.com\", \"SubjectAlternativeNames\": "
                + "[\"*.example.com\"], \"ValidationMethod\": \"DNS\"}").path("CertificateArn").asText();
        String requested = physicalId(stack("web"), "Certificate");

        operations().up(release(target(Optional.of(given))));

        for (String service : List.of("web", "legacy", "mail")) {
            assertThat(resourceIds(stack(service))).doesNotContain("Certificate");
            assertThat(listeners(service).stream().filter(l -> List.of("HTTPS", "TLS").contains(l.protocolAsString())))
                    .isNotEmpty().allSatisfy(l -> {
                        assertThat(l.certificates()).extracting(c -> c.certificateArn()).containsExactly(given);
                        assertThat(l.sslPolicy()).isEqualTo(TLS_POLICY);
                    });
        }
        JsonNode left = acm("ListCertificates", "{}").path("CertificateSummaryList");
        assertThat(left.findValuesAsText("CertificateArn")).contains(given).doesNotContain(requested);
    }

    private static String stack(String service) {
        return CloudFormationRenderer.serviceStackName(APP, service);
    }

    private static String physicalId(String stack, String logicalId) {
        return cloudFormation.describeStackResources(r -> r.stackName(stack)).stackResources().stream()
                .filter(r -> r.logicalResourceId().equals(logicalId)).findFirst().orElseThrow().physicalResourceId();
    }

    private static List<String> resourceIds(String stack) {
        return cloudFormation.describeStackResources(r -> r.stackName(stack)).stackResources().stream()
                .map(r -> r.logicalResourceId()).toList();
    }

    private static LoadBalancer loadBalancer(String service) {
        String arn = physicalId(stack(service), "LoadBalancer");
        return loadBalancing.describeLoadBalancers(r -> r.loadBalancerArns(arn)).loadBalancers().get(0);
    }

    private static List<Listener> listeners(String service) {
        String arn = physicalId(stack(service), "LoadBalancer");
        return loadBalancing.describeListeners(r -> r.loadBalancerArn(arn)).listeners();
    }

    private static Listener listener(String service, int port) {
        return listeners(service).stream().filter(l -> l.port() == port).findFirst().orElseThrow();
    }

    private static Map<String, String> attributes(String service) {
        String arn = physicalId(stack(service), "LoadBalancer");
        return loadBalancing.describeLoadBalancerAttributes(r -> r.loadBalancerArn(arn)).attributes().stream()
                .collect(Collectors.toMap(a -> a.key(), a -> a.value()));
    }

    private static List<ResourceRecordSet> records(String zone) {
        return route53.listResourceRecordSets(r -> r.hostedZoneId(zone)).resourceRecordSets();
    }

    private static String id(String hostedZoneId) {
        return hostedZoneId.replace("/hostedzone/", "");
    }

    /**
     * One ACM call as JSON over HTTP: the build has no ACM client (i2kit itself never calls ACM;
     * CloudFormation does), and moto checks no signature, only the service named in the scope.
     */
    private static JsonNode acm(String action, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(MOTO.endpoint() + "/"))
                .header("Content-Type", "application/x-amz-json-1.1")
                .header("X-Amz-Target", "CertificateManager." + action)
                .header("Authorization", "AWS4-HMAC-SHA256 Credential=" + MotoServer.CREDENTIAL + "/20260101/"
                        + MotoServer.REGION + "/acm/aws4_request, SignedHeaders=host, Signature=0")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("ACM %s: %s", action, response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
