package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Autoscaling;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties every rendered application must have, checked on the parsed templates. */
class CloudFormationRendererTest {
    /** Resource types that take tags, and where the tags go. */
    private static final Map<String, String> TAGGABLE = Map.ofEntries(
            Map.entry("AWS::EC2::VPC", "Tags"), Map.entry("AWS::EC2::InternetGateway", "Tags"),
            Map.entry("AWS::EC2::Subnet", "Tags"), Map.entry("AWS::EC2::RouteTable", "Tags"),
            Map.entry("AWS::EC2::SecurityGroup", "Tags"), Map.entry("AWS::Route53::HostedZone", "HostedZoneTags"),
            Map.entry("AWS::IAM::Role", "Tags"), Map.entry("AWS::ElasticLoadBalancingV2::LoadBalancer", "Tags"),
            Map.entry("AWS::ElasticLoadBalancingV2::TargetGroup", "Tags"),
            Map.entry("AWS::AutoScaling::AutoScalingGroup", "Tags"), Map.entry("AWS::EC2::LaunchTemplate", "TagSpecifications"),
            Map.entry("AWS::EC2::Volume", "Tags"), Map.entry("AWS::DLM::LifecyclePolicy", "Tags"),
            Map.entry("AWS::CertificateManager::Certificate", "Tags"),
            Map.entry("AWS::Logs::LogGroup", "Tags"));
    /** Types CloudFormation cannot tag; a type in neither set fails the test until someone decides. */
    private static final Set<String> UNTAGGABLE = Set.of("AWS::EC2::VPCGatewayAttachment", "AWS::EC2::Route",
            "AWS::EC2::SubnetRouteTableAssociation", "AWS::IAM::InstanceProfile",
            "AWS::ElasticLoadBalancingV2::Listener", "AWS::Route53::RecordSet", "AWS::AutoScaling::ScalingPolicy");

    @TempDir
    static Path dir;
    private static List<Fixtures.Case> cases;

    @BeforeAll
    static void generate() {
        cases = Fixtures.allCases(dir);
    }

    static List<Fixtures.Case> cases() {
        if (cases == null) {
            generate();
        }
        return cases;
    }

    /** One rendered application: the model and its parsed templates. */
    private record Rendered(Discovery discovery, JsonNode environment, Map<Service, JsonNode> services) {
        static Rendered of(Fixtures.Case c) {
            Discovery discovery = Fixtures.discovery(c.manifest(), c.target());
            List<RenderedTemplate> templates = CloudFormationRenderer.render(discovery, c.target());
            assertThat(templates.get(0).fileName()).isEqualTo("environment.json");
            Map<Service, JsonNode> services = new java.util.LinkedHashMap<>();
            for (Service s : discovery.application().services()) {
                RenderedTemplate t = templates.stream().filter(r -> r.fileName().equals("service-" + s.name() + ".json"))
                        .findFirst().orElseThrow();
                assertThat(t.stackName()).isEqualTo("i2kit-" + discovery.application().name() + "-" + s.name());
                services.put(s, Fixtures.parse(t));
            }
            assertThat(templates).hasSize(services.size() + 1);
            return new Rendered(discovery, Fixtures.parse(templates.get(0)), services);
        }
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyLaunchTemplateRequiresImdsV2(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            List<JsonNode> templates = resources(t, "AWS::EC2::LaunchTemplate");
            assertThat(templates).hasSize(service.isStateful() ? service.replicas() : 1);
            for (JsonNode template : templates) {
                JsonNode metadata = template.at("/Properties/LaunchTemplateData/MetadataOptions");
                assertThat(metadata.path("HttpTokens").asText()).isEqualTo("required");
                assertThat(metadata.path("HttpEndpoint").asText()).isEqualTo("enabled");
                assertThat(metadata.path("HttpPutResponseHopLimit").asInt()).isEqualTo(1);
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void loadBalancerSchemeAndIngressFollowVisibility(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            if (service.ports().isEmpty()) {
                return;
            }
            JsonNode lb = t.at("/Resources/LoadBalancer/Properties");
            JsonNode ingress = t.at("/Resources/LoadBalancerSecurityGroup/Properties/SecurityGroupIngress");
            Set<String> expectedPorts = service.ports().stream().map(p -> transport(p.lbProtocol()) + "/" + p.lbPort())
                    .collect(Collectors.toSet());
            Set<String> openedPorts = new HashSet<>();
            ingress.forEach(rule -> openedPorts.add(rule.path("IpProtocol").asText() + "/" + rule.path("FromPort").asInt()));
            assertThat(openedPorts).as(service.name()).isEqualTo(expectedPorts);
            ingress.forEach(rule -> assertThat(rule.path("ToPort").asInt()).isEqualTo(rule.path("FromPort").asInt()));
            if (service.isPublic()) {
                assertThat(lb.path("Scheme").asText()).isEqualTo("internet-facing");
                assertThat(lb.path("Subnets").toString()).contains("-PublicSubnets");
                for (String port : expectedPorts) {
                    assertThat(rulesFor(ingress, port)).extracting(rule -> rule.has("CidrIp") ? rule.path("CidrIp").asText()
                            : rule.path("CidrIpv6").asText()).containsExactlyInAnyOrder("0.0.0.0/0", "::/0");
                }
            } else {
                assertThat(lb.path("Scheme").asText()).isEqualTo("internal");
                assertThat(lb.path("Subnets").toString()).contains("-PrivateSubnets");
                ingress.forEach(rule -> {
                    assertThat(rule.has("CidrIp") || rule.has("CidrIpv6")).as(rule.toString()).isFalse();
                    assertThat(rule.path("SourceSecurityGroupId").path("Fn::ImportValue").asText())
                            .isEqualTo("i2kit-" + r.discovery.application().name() + "-AppSecurityGroup");
                });
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void instancesAcceptTrafficFromTheirLoadBalancerOnly(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            JsonNode ingress = t.at("/Resources/InstanceSecurityGroup/Properties/SecurityGroupIngress");
            if (service.ports().isEmpty()) {
                assertThat(ingress.isMissingNode()).as(service.name() + " is a worker").isTrue();
                return;
            }
            Set<String> opened = new HashSet<>();
            ingress.forEach(rule -> {
                assertThat(rule.path("SourceSecurityGroupId").path("Fn::GetAtt").toString())
                        .isEqualTo("[\"LoadBalancerSecurityGroup\",\"GroupId\"]");
                assertThat(rule.fieldNames()).toIterable()
                        .containsExactlyInAnyOrder("IpProtocol", "FromPort", "ToPort", "Description", "SourceSecurityGroupId");
                opened.add(rule.path("IpProtocol").asText() + "/" + rule.path("FromPort").asInt());
            });
            Set<String> expected = service.ports().stream().map(p -> transport(p.instanceProtocol()) + "/" + p.instancePort())
                    .collect(Collectors.toCollection(HashSet::new));
            service.health().ifPresent(h -> expected.add("tcp/" + h.port()));
            assertThat(opened).as(service.name()).isEqualTo(expected);
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void httpOnlyServicesGetAnAlbAndOthersOneNlb(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            if (service.ports().isEmpty()) {
                return;
            }
            assertThat(resources(t, "AWS::ElasticLoadBalancingV2::LoadBalancer")).hasSize(1);
            boolean httpOnly = service.ports().stream().allMatch(p -> p.lbProtocol().isHttpFamily());
            assertThat(t.at("/Resources/LoadBalancer/Properties/Type").asText())
                    .isEqualTo(httpOnly ? "application" : "network");
            assertThat(resources(t, "AWS::ElasticLoadBalancingV2::Listener")).hasSize(service.ports().size());
            Set<String> allowed = httpOnly ? Set.of("HTTP", "HTTPS") : Set.of("TCP", "TLS", "UDP");
            resources(t, "AWS::ElasticLoadBalancingV2::Listener").forEach(l -> {
                assertThat(l.at("/Properties/Protocol").asText()).isIn(allowed);
                boolean tls = Set.of("HTTPS", "TLS").contains(l.at("/Properties/Protocol").asText());
                JsonNode arn = l.at("/Properties/Certificates/0/CertificateArn");
                if (!tls) {
                    assertThat(arn.isMissingNode()).isTrue();
                } else if (c.target().certificate().isPresent()) {
                    assertThat(arn.asText()).isEqualTo(c.target().certificate().get());
                } else {
                    assertThat(arn).isEqualTo(Fn.ref(CertificateRenderer.CERTIFICATE));
                }
                assertThat(l.at("/Properties/SslPolicy").asText()).isEqualTo(tls ? "ELBSecurityPolicy-TLS13-1-2-2021-06" : "");
            });
            resources(t, "AWS::ElasticLoadBalancingV2::TargetGroup").forEach(g -> {
                assertThat(g.at("/Properties/Protocol").asText()).isIn(allowed);
                assertThat(g.at("/Properties/TargetType").asText()).isEqualTo("instance");
                assertThat(g.at("/Properties/HealthCheckIntervalSeconds").asInt()).isBetween(5, 300);
                assertThat(g.at("/Properties/HealthCheckTimeoutSeconds").asInt()).isBetween(2, 120)
                        .isLessThan(g.at("/Properties/HealthCheckIntervalSeconds").asInt());
                assertThat(g.at("/Properties/HealthyThresholdCount").asInt()).isBetween(2, 10);
                assertThat(g.at("/Properties/UnhealthyThresholdCount").asInt()).isBetween(2, 10);
            });
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void scalingGroupsRunExactlyTheReplicas(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            if (service.isStateful()) {
                return; // StatefulRenderingTest: one group of one per replica
            }
            JsonNode asg = t.at("/Resources/ScalingGroup");
            String replicas = Integer.toString(service.replicas());
            assertThat(asg.at("/Properties/MinSize").asText()).isEqualTo(replicas);
            if (service.autoscaling().isPresent()) {
                // AutoscalingRenderingTest: the range, the policy and the desired count's parameter
                assertThat(asg.at("/Properties/MaxSize").asInt()).isEqualTo(service.autoscaling().get().max());
                assertThat(asg.at("/Properties/DesiredCapacity/Ref").asText()).isEqualTo(LogicalIds.DESIRED_CAPACITY);
            } else {
                assertThat(asg.at("/Properties/MaxSize").asText()).isEqualTo(replicas);
                assertThat(asg.at("/Properties/DesiredCapacity").asText()).isEqualTo(replicas);
            }
            assertThat(asg.at("/Properties/VPCZoneIdentifier").toString()).contains("-PrivateSubnets");
            assertThat(asg.at("/Properties/HealthCheckType").asText()).isEqualTo(service.ports().isEmpty() ? "EC2" : "ELB");
            assertThat(asg.at("/UpdatePolicy/AutoScalingReplacingUpdate/WillReplace").asBoolean()).isTrue();
            assertThat(asg.at("/Properties/TargetGroupARNs").size())
                    .isEqualTo(resources(t, "AWS::ElasticLoadBalancingV2::TargetGroup").size());
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void everyTaggableResourceIsTagged(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        String app = r.discovery.application().name();
        assertTagged(r.environment, Map.of("i2kit:application", app));
        r.services.forEach((service, t) -> assertTagged(t, Map.of("i2kit:application", app, "i2kit:service", service.name())));
    }

    @ParameterizedTest
    @MethodSource("cases")
    void serviceStacksReadOnlyTheEnvironmentExports(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        Set<String> exports = new HashSet<>();
        r.environment.path("Outputs").forEach(o -> exports.add(o.at("/Export/Name").asText()));
        boolean stateful = r.discovery.application().services().stream().anyMatch(Service::isStateful);
        assertThat(exports).hasSize(stateful ? 6 + 2 * 2 : 6);
        String app = r.discovery.application().name();
        r.services.forEach((service, t) -> {
            for (JsonNode imported : values(t, "Fn::ImportValue")) {
                assertThat(imported.isTextual()).isTrue();
                assertThat(exports).contains(imported.asText());
            }
            t.path("Outputs").forEach(o -> assertThat(o.has("Export")).as("service stacks export nothing").isFalse());
            String text = t.toString();
            for (Service other : r.services.keySet()) {
                if (other != service) {
                    assertThat(text).doesNotContain("i2kit-" + app + "-" + other.name() + "-");
                }
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void workersHaveNoLoadBalancerNameOrEndpoint(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        r.services.forEach((service, t) -> {
            Set<String> types = new HashSet<>();
            t.path("Resources").forEach(res -> types.add(res.path("Type").asText()));
            if (service.ports().isEmpty()) {
                assertThat(types).doesNotContain("AWS::ElasticLoadBalancingV2::LoadBalancer",
                        "AWS::ElasticLoadBalancingV2::TargetGroup", "AWS::ElasticLoadBalancingV2::Listener",
                        "AWS::Route53::RecordSet");
                assertThat(t.has("Outputs")).isFalse();
            } else {
                assertThat(t.at("/Outputs/Endpoint/Value").asText())
                        .isEqualTo(r.discovery.endpoint(service.name()).orElseThrow().endpoint());
                assertThat(t.at("/Resources/PrivateRecord/Properties/Name").asText())
                        .isEqualTo(service.name() + "." + r.discovery.application().zone() + ".");
                boolean publicName = service.isPublic() && c.target().publicZone().isPresent();
                assertThat(t.at("/Resources/PublicRecord").isMissingNode()).isEqualTo(!publicName);
                assertThat(t.at("/Outputs/PublicUrl").isMissingNode()).isEqualTo(!service.isPublic());
            }
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void userDataIsTheMetadataPayload(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        String app = r.discovery.application().name();
        r.services.forEach((service, t) -> {
            if (service.isStateful() || !service.secretNames().isEmpty()) {
                return; // StatefulRenderingTest: volume ids and secret versions are resolved by Fn::Sub
            }
            String userData = t.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData/UserData/Fn::Base64").asText();
            assertThat(userData).isEqualTo("{\"i2kit\":{\"entries\":{\"application\":{\"content\":\"" + app
                    + "\"},\"service\":{\"content\":\"" + service.name() + "\"},\"search\":{\"content\":\""
                    + r.discovery.application().zone() + "\"},\"logs\":{\"entries\":{\"group\":{\"content\":\"/i2kit/"
                    + app + "/" + service.name() + "\"}}}}}}");
            // EC2 refuses user data over 16 KiB once base64-encoded
            assertThat(Base64.getEncoder().encode(userData.getBytes(StandardCharsets.UTF_8))).hasSizeLessThan(16 * 1024);
        });
    }

    @ParameterizedTest
    @MethodSource("cases")
    void aGivenVpcIsUsedAndNoNetworkIsMade(Fixtures.Case c) {
        Rendered r = Rendered.of(c);
        boolean given = c.target().vpc().isPresent();
        assertThat(resources(r.environment, "AWS::EC2::VPC")).hasSize(given ? 0 : 1);
        assertThat(resources(r.environment, "AWS::EC2::Subnet")).hasSize(given ? 0 : 4);
        assertThat(resources(r.environment, "AWS::EC2::NatGateway")).isEmpty();
        if (given) {
            assertThat(r.environment.at("/Outputs/VpcId/Value").asText()).isEqualTo(c.target().vpc().get());
            assertThat(r.environment.at("/Outputs/PrivateSubnets/Value").asText())
                    .isEqualTo(String.join(",", c.target().subnets()));
        }
    }

    @Test
    void renderingIsDeterministicAndLogicalIdsAreStable() {
        Fixtures.Case shop = Fixtures.goldenCases().get(0);
        assertThat(shop.render()).isEqualTo(shop.render());
        Discovery discovery = Fixtures.discovery(shop.manifest(), shop.target());
        List<Service> scaled = new ArrayList<>();
        for (Service s : discovery.application().services()) {
            scaled.add(new Service(s.name(), s.replicas() + 1, s.isPublic(), "m5.large", s.resources(), s.health(), s.containers(), s.uses(),
                    s.volumes(), s.hostname(), s.redirectHttp(), s.autoscaling().map(a -> new Autoscaling(a.min() + 1,
                    a.max() + 1, a.cpuPercent(), a.requestsPerTarget()))));
        }
        Discovery changed = new Discovery(discovery.application().withServices(scaled), discovery.endpoints());
        List<RenderedTemplate> before = CloudFormationRenderer.render(discovery, shop.target());
        List<RenderedTemplate> after = CloudFormationRenderer.render(changed, shop.target());
        for (int i = 0; i < before.size(); i++) {
            assertThat(ids(Fixtures.parse(after.get(i)))).isEqualTo(ids(Fixtures.parse(before.get(i))));
            assertThat(after.get(i).json()).endsWith("}\n");
        }
    }

    @Test
    void nlbPortsMapToTcpAndTls() {
        Service dns = Fixtures.discovery(Fixtures.MANIFESTS.resolve("shop/i2kit.yml"), Fixtures.NEW_VPC)
                .application().service("dns").orElseThrow();
        LoadBalancing lb = LoadBalancing.of(dns).orElseThrow();
        assertThat(lb.type()).isEqualTo(LoadBalancing.Type.NETWORK);
        assertThat(lb.listeners()).extracting(l -> l.logicalId() + "=" + l.protocol() + "->" + l.target().protocol())
                .containsExactly("ListenerUdp53=UDP->UDP", "ListenerTcp53=TCP->TCP", "ListenerTls853=TLS->TCP",
                        "ListenerHttp8080=TCP->TCP");
    }

    private static Set<String> ids(JsonNode template) {
        Set<String> ids = new HashSet<>();
        template.path("Resources").fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    private static String transport(Protocol protocol) {
        return protocol == Protocol.UDP ? "udp" : "tcp";
    }

    private static List<JsonNode> rulesFor(JsonNode ingress, String port) {
        List<JsonNode> rules = new ArrayList<>();
        ingress.forEach(rule -> {
            if ((rule.path("IpProtocol").asText() + "/" + rule.path("FromPort").asInt()).equals(port)) {
                rules.add(rule);
            }
        });
        return rules;
    }

    static List<JsonNode> resources(JsonNode template, String type) {
        List<JsonNode> found = new ArrayList<>();
        template.path("Resources").forEach(r -> {
            if (r.path("Type").asText().equals(type)) {
                found.add(r);
            }
        });
        return found;
    }

    /** Every value of {@code key} anywhere in the tree. */
    static List<JsonNode> values(JsonNode node, String key) {
        List<JsonNode> found = new ArrayList<>();
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(key)) {
                    found.add(e.getValue());
                }
                found.addAll(values(e.getValue(), key));
            }
        } else if (node.isArray()) {
            node.forEach(child -> found.addAll(values(child, key)));
        }
        return found;
    }

    private static void assertTagged(JsonNode template, Map<String, String> expected) {
        template.path("Resources").fields().forEachRemaining(e -> {
            String type = e.getValue().path("Type").asText();
            JsonNode props = e.getValue().path("Properties");
            if (UNTAGGABLE.contains(type)) {
                return;
            }
            assertThat(TAGGABLE).as("%s (%s) is in neither TAGGABLE nor UNTAGGABLE", e.getKey(), type).containsKey(type);
            if (type.equals("AWS::EC2::LaunchTemplate")) {
                assertThat(tags(props.at("/TagSpecifications/0/Tags"))).containsAllEntriesOf(expected);
                JsonNode specs = props.at("/LaunchTemplateData/TagSpecifications");
                assertThat(specs.findValuesAsText("ResourceType")).containsExactly("instance", "volume");
                specs.forEach(s -> assertThat(tags(s.path("Tags"))).containsAllEntriesOf(expected)
                        .containsKey("i2kit:image-digest"));
                return;
            }
            JsonNode tags = props.path(TAGGABLE.get(type));
            assertThat(tags(tags)).as(e.getKey()).containsAllEntriesOf(expected);
            if (type.equals("AWS::AutoScaling::AutoScalingGroup")) {
                tags.forEach(t -> assertThat(t.path("PropagateAtLaunch").asBoolean()).isTrue());
            }
        });
    }

    private static Map<String, String> tags(JsonNode list) {
        Map<String, String> tags = new java.util.HashMap<>();
        list.forEach(t -> tags.put(t.path("Key").asText(), t.path("Value").isTextual() ? t.path("Value").asText() : "<fn>"));
        return tags;
    }
}
