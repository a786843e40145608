package io.i2kit.cloudformation;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Service;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shop fixture's scaling and central logs, on the rendered templates: web scales on requests
 * per target, api on CPU, the others keep a fixed count; every service has its log group with the
 * manifest's retention, and a role that may write to that group alone.
 */
class ScalingLogsRenderingTest {
    private static final String ARN = "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${LogGroup}";

    private final Fixtures.Case shop = Fixtures.goldenCases().get(0);
    private final Discovery discovery = Fixtures.discovery(shop.manifest(), shop.target());
    private final Map<String, JsonNode> services = services();

    private Map<String, JsonNode> services() {
        Map<String, JsonNode> byName = new HashMap<>();
        CloudFormationRenderer.render(discovery, shop.target()).stream().skip(1)
                .forEach(t -> byName.put(t.fileName().replaceAll("^service-|\\.json$", ""), Fixtures.parse(t)));
        return byName;
    }

    @Test
    void cpuScalingTracksTheGroupsAverageCpuBetweenMinAndMax() {
        JsonNode api = services.get("api");
        JsonNode group = api.at("/Resources/ScalingGroup/Properties");
        assertThat(group.path("MinSize").asText()).isEqualTo("3");
        assertThat(group.path("MaxSize").asText()).isEqualTo("12");
        assertThat(group.at("/DesiredCapacity/Ref").asText()).isEqualTo("DesiredCapacity");
        JsonNode desired = api.at("/Parameters/DesiredCapacity");
        assertThat(desired.path("Type").asText()).isEqualTo("Number");
        assertThat(desired.path("Default").asText()).as("a new stack starts at min").isEqualTo("3");
        assertThat(desired.path("MinValue").asInt()).isEqualTo(3);
        assertThat(desired.path("MaxValue").asInt()).isEqualTo(12);

        JsonNode policy = api.at("/Resources/ScalingPolicy");
        assertThat(policy.path("Type").asText()).isEqualTo("AWS::AutoScaling::ScalingPolicy");
        assertThat(policy.at("/Properties/AutoScalingGroupName/Ref").asText()).isEqualTo("ScalingGroup");
        assertThat(policy.at("/Properties/PolicyType").asText()).isEqualTo("TargetTrackingScaling");
        JsonNode tracking = policy.at("/Properties/TargetTrackingConfiguration");
        assertThat(tracking.at("/PredefinedMetricSpecification/PredefinedMetricType").asText())
                .isEqualTo("ASGAverageCPUUtilization");
        assertThat(tracking.at("/PredefinedMetricSpecification/ResourceLabel").isMissingNode()).isTrue();
        assertThat(tracking.path("TargetValue").asInt()).isEqualTo(60);
    }

    @Test
    void requestScalingCountsTheFirstPortsTargetGroupOnceItsListenersExist() {
        JsonNode web = services.get("web");
        assertThat(web.at("/Resources/ScalingGroup/Properties/MinSize").asText()).isEqualTo("2");
        assertThat(web.at("/Resources/ScalingGroup/Properties/MaxSize").asText()).isEqualTo("10");
        JsonNode policy = web.at("/Resources/ScalingPolicy");
        JsonNode metric = policy.at("/Properties/TargetTrackingConfiguration/PredefinedMetricSpecification");
        assertThat(metric.path("PredefinedMetricType").asText()).isEqualTo("ALBRequestCountPerTarget");
        // app/<lb>/<id>/targetgroup/<tg>/<id>, from the load balancer's and the target group's full names
        assertThat(metric.path("ResourceLabel").toString()).isEqualTo("{\"Fn::Join\":[\"/\",["
                + "{\"Fn::GetAtt\":[\"LoadBalancer\",\"LoadBalancerFullName\"]},"
                + "{\"Fn::GetAtt\":[\"TargetGroupHttp8080\",\"TargetGroupFullName\"]}]]}");
        assertThat(policy.at("/Properties/TargetTrackingConfiguration/TargetValue").asInt()).isEqualTo(500);
        List<String> listeners = new ArrayList<>();
        web.path("Resources").fields().forEachRemaining(e -> {
            if (e.getValue().path("Type").asText().equals("AWS::ElasticLoadBalancingV2::Listener")) {
                listeners.add(e.getKey());
            }
        });
        List<String> dependsOn = new ArrayList<>();
        policy.path("DependsOn").forEach(d -> dependsOn.add(d.asText()));
        assertThat(dependsOn).isNotEmpty().containsExactlyInAnyOrderElementsOf(listeners);
    }

    @Test
    void anUpdateReplacesTheGroupBesideTheOldOneWhichServesUntilTheNewOneIsUp() {
        for (String name : List.of("web", "api")) {
            assertThat(services.get(name).at("/Resources/ScalingGroup/UpdatePolicy/AutoScalingReplacingUpdate/WillReplace")
                    .asBoolean()).as(name).isTrue();
        }
    }

    @Test
    void fixedServicesHaveNoPolicyAndNoDesiredCapacityParameter() {
        for (String name : List.of("db", "dns", "worker")) {
            JsonNode t = services.get(name);
            Service service = discovery.application().service(name).orElseThrow();
            assertThat(t.at("/Resources/ScalingPolicy").isMissingNode()).as(name).isTrue();
            assertThat(t.at("/Parameters/DesiredCapacity").isMissingNode()).as(name).isTrue();
            assertThat(t.at("/Resources/ScalingGroup/Properties/DesiredCapacity").asText())
                    .isEqualTo(Integer.toString(service.replicas()));
        }
    }

    @Test
    void everyServiceHasItsLogGroupWithTheManifestsRetention() {
        assertThat(discovery.application().logRetentionDays()).isEqualTo(14);
        services.forEach((name, t) -> {
            JsonNode group = t.at("/Resources/LogGroup");
            assertThat(group.path("Type").asText()).isEqualTo("AWS::Logs::LogGroup");
            assertThat(group.at("/Properties/LogGroupName").asText()).isEqualTo("/i2kit/shop/" + name);
            assertThat(group.at("/Properties/RetentionInDays").asInt()).isEqualTo(14);
            assertThat(group.path("DeletionPolicy").isMissingNode()).as("down deletes the group with the stack").isTrue();
        });
    }

    @Test
    void retentionDefaultsToThirtyDays() {
        Fixtures.Case minimal = Fixtures.goldenCases().get(2);
        JsonNode hello = Fixtures.parse(minimal.render().get(1));
        assertThat(hello.at("/Resources/LogGroup/Properties/RetentionInDays").asInt()).isEqualTo(30);
    }

    @Test
    void theRoleMayOnlyCreateStreamsAndPutEventsInItsOwnGroup() {
        services.forEach((name, t) -> {
            JsonNode statements = t.at("/Resources/InstanceRole/Properties/Policies/0/PolicyDocument/Statement");
            List<JsonNode> logs = new ArrayList<>();
            statements.forEach(s -> {
                if (s.path("Action").toString().contains("logs:")) {
                    logs.add(s);
                }
            });
            assertThat(logs).as(name).hasSize(1);
            JsonNode ship = logs.get(0);
            assertThat(ship.path("Effect").asText()).isEqualTo("Allow");
            assertThat(ship.path("Action").toString()).isEqualTo("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]");
            List<String> resources = new ArrayList<>();
            ship.path("Resource").forEach(r -> resources.add(r.path("Fn::Sub").asText()));
            assertThat(resources).as("the group (${LogGroup} is its name) and its streams, nothing else")
                    .containsExactly(ARN, ARN + ":log-stream:*");
            assertThat(t.at("/Resources/ScalingGroup").isMissingNode() ? null
                    : t.at("/Resources/LaunchTemplate/Properties/LaunchTemplateData/IamInstanceProfile/Name/Ref").asText())
                    .isEqualTo("InstanceProfile");
        });
    }
}
