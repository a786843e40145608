package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.I2kitException;
import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.event.Events;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.oci.Digest;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Release;
import io.i2kit.provider.Reports;
import io.i2kit.provider.aws.stack.StackTimings;
import io.i2kit.testing.InlineManifest;
import io.i2kit.testing.MotoServer;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.ScalingPolicy;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.InputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogGroup;
import software.amazon.awssdk.services.iam.IamClient;

/**
 * Autoscaling and central logs on moto, through the AWS provider: {@code up} makes each service's
 * target-tracking policy (requests per target for the public web service, CPU for the worker), its
 * log group with the manifest's retention and a role that may only ship there; a second {@code up}
 * keeps a group that scaled out at its size; {@code logs} reads, per container and since a time,
 * what the test put into CloudWatch Logs as a VM's shipper would ({@code <instance-id>/<container>}).
 *
 * <p>What moto cannot show (docs/aws.md): a policy moving the group (moto has no CloudWatch alarms
 * behind target tracking), IAM enforcing the role, retention deleting old events, and a VM shipping
 * its lines (H5's QEMU-as-EC2 test does that).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ScalingLogsIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "scaling";
    private static final StackTimings FAST = new StackTimings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(60));

    private static Release release;
    private static CloudFormationClient cloudFormation;
    private static AutoScalingClient autoScaling;
    private static CloudWatchLogsClient logs;
    private static IamClient iam;

    @BeforeAll
    static void render(CloudFormationClient cloudFormation) throws Exception {
        ScalingLogsIT.cloudFormation = cloudFormation;
        AwsContext context = MOTO.context();
        autoScaling = context.client(AutoScalingClient.builder());
        logs = context.client(CloudWatchLogsClient.builder());
        iam = context.client(software.amazon.awssdk.services.iam.IamClient.builder());
        Path dir = Files.createDirectories(Path.of("target/scaling-logs-it").toAbsolutePath());
        Path manifestFile = InlineManifest.app(dir, """
                name: scaling
                logs: {retention_days: 7}
                services:
                  web:
                    public: true
                    replicas: {min: 2, max: 5, requests_per_target: 300}
                    containers:
                      web:
                        image: busybox:1.36
                        ports: [80]
                      sidecar:
                        image: busybox:1.36
                  worker:
                    replicas: {min: 1, max: 4, cpu: 70}
                    containers:
                      worker:
                        image: busybox:1.36
                """).resolve("i2kit.yml");
        Manifest manifest = ManifestReader.read(manifestFile);
        Problems problems = new Problems();
        Discovery discovery = DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);
        problems.throwIfErrors(manifestFile.toString());
        Target target = new Target(Target.Provider.AWS, Optional.of(MotoServer.REGION), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        for (Service s : discovery.application().services()) {
            Path efi = dir.resolve(s.name() + "-efi.img");
            try (RandomAccessFile disk = new RandomAccessFile(efi.toFile(), "rw")) {
                disk.setLength(2L << 20);
                disk.write(("a disk of " + s.name()).getBytes(StandardCharsets.US_ASCII));
            }
            images.put(s.name(), new BuiltImage(s.name(), Digest.of(("scaling-it " + s.name()).getBytes(StandardCharsets.UTF_8)),
                    efi, efi, "", Optional.of(efi), null, true));
        }
        release = new Release(discovery, target, images, CloudFormationRenderer.render(discovery, target));
    }

    @AfterAll
    static void cleanUp() {
        if (release != null) {
            operations().down(APP, false, true, false);
        }
    }

    private static AwsOperations operations() {
        return new AwsOperations(MOTO.context(), Events.NONE, FAST, Duration.ofSeconds(30));
    }

    private static AwsProvider provider() {
        return new AwsProvider(MOTO.context(), FAST);
    }

    @Test
    @Order(1)
    void upMakesEachServicesTargetTrackingPolicyOnItsGroup() {
        operations().up(AwsProvider.awsRelease(release));

        String webGroup = physicalId("i2kit-scaling-web", "ScalingGroup");
        var group = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(webGroup)).autoScalingGroups().get(0);
        assertThat(group.minSize()).isEqualTo(2);
        assertThat(group.maxSize()).isEqualTo(5);
        assertThat(group.desiredCapacity()).as("a new group starts at min").isEqualTo(2);
        List<ScalingPolicy> web = autoScaling.describePolicies(r -> r.autoScalingGroupName(webGroup)).scalingPolicies();
        assertThat(web).hasSize(1);
        assertThat(web.get(0).policyType()).isEqualTo("TargetTrackingScaling");
        var tracking = web.get(0).targetTrackingConfiguration();
        assertThat(tracking.predefinedMetricSpecification().predefinedMetricTypeAsString()).isEqualTo("ALBRequestCountPerTarget");
        assertThat(tracking.targetValue()).isEqualTo(300.0);
        String lb = physicalId("i2kit-scaling-web", "LoadBalancer");
        String tg = physicalId("i2kit-scaling-web", "TargetGroupHttp80");
        // app/NAME/ID of the load balancer, then targetgroup/NAME/ID of the counted target group
        assertThat(tracking.predefinedMetricSpecification().resourceLabel())
                .isEqualTo(lb.substring(lb.indexOf(":loadbalancer/") + ":loadbalancer/".length()) + "/"
                        + tg.substring(tg.lastIndexOf(':') + 1))
                .startsWith("app/").contains("/targetgroup/");

        String workerGroup = physicalId("i2kit-scaling-worker", "ScalingGroup");
        List<ScalingPolicy> worker = autoScaling.describePolicies(r -> r.autoScalingGroupName(workerGroup)).scalingPolicies();
        assertThat(worker).singleElement().satisfies(p -> {
            assertThat(p.targetTrackingConfiguration().predefinedMetricSpecification().predefinedMetricTypeAsString())
                    .isEqualTo("ASGAverageCPUUtilization");
            assertThat(p.targetTrackingConfiguration().targetValue()).isEqualTo(70.0);
        });
    }

    @Test
    @Order(2)
    void eachServiceHasItsLogGroupAndARoleThatShipsOnlyThere() throws Exception {
        for (String service : List.of("web", "worker")) {
            List<LogGroup> groups = logs.describeLogGroups(r -> r.logGroupNamePrefix("/i2kit/scaling/" + service)).logGroups();
            assertThat(groups).extracting(LogGroup::logGroupName).containsExactly("/i2kit/scaling/" + service);
            assertThat(groups.get(0).retentionInDays()).isEqualTo(7);

            String role = physicalId("i2kit-scaling-" + service, "InstanceRole");
            String document = iam.getRolePolicy(r -> r.roleName(role).policyName("i2kit-" + service)).policyDocument();
            JsonNode statements = JSON.readTree(URLDecoder.decode(document, StandardCharsets.UTF_8)).path("Statement");
            assertThat(statements).hasSize(1);
            JsonNode ship = statements.get(0);
            assertThat(ship.path("Action").toString()).isEqualTo("[\"logs:CreateLogStream\",\"logs:PutLogEvents\"]");
            List<String> resources = new ArrayList<>();
            ship.path("Resource").forEach(r -> resources.add(r.asText()));
            String arn = "arn:aws:logs:" + MotoServer.REGION + ":123456789012:log-group:/i2kit/scaling/" + service;
            assertThat(resources).containsExactly(arn, arn + ":log-stream:*");
        }
    }

    @Test
    @Order(3)
    void statusShowsTheDesiredCountAndTheRangeAndAnUpdateKeepsAScaledOutGroup() {
        String webGroup = physicalId("i2kit-scaling-web", "ScalingGroup");
        // what a policy would do under load
        autoScaling.setDesiredCapacity(r -> r.autoScalingGroupName(webGroup).desiredCapacity(4));
        Reports.Status status = provider().status(APP, Events.NONE);
        Reports.Service web = status.services().stream().filter(s -> s.name().equals("web")).findFirst().orElseThrow();
        assertThat(web.desired()).isEqualTo(4);
        assertThat(web.state().orElseThrow()).endsWith(", scales 2..5").contains(" instances");

        // a new image: the stack is updated with the group's count, not min
        Release changed = new Release(release.discovery(), release.target(), withDigest(release, "web", "v2"),
                release.templates());
        operations().up(AwsProvider.awsRelease(changed));
        String after = physicalId("i2kit-scaling-web", "ScalingGroup");
        assertThat(autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(after)).autoScalingGroups().get(0)
                .desiredCapacity()).isEqualTo(4);
        assertThat(parameter("i2kit-scaling-web", "DesiredCapacity")).isEqualTo("4");
    }

    @Test
    @Order(4)
    void logsReadWhatTheInstancesShippedPerContainerAndSinceATime() {
        String group = "/i2kit/scaling/web";
        Instant now = Instant.now();
        put(group, "i-0aaa/web", List.of(event(now.minusSeconds(600), "GET / 200 (old)"), event(now.minusSeconds(5), "GET / 200")));
        put(group, "i-0aaa/init", List.of(event(now.minusSeconds(599), "i2kit: service web: running")));
        put(group, "i-0bbb/sidecar", List.of(event(now.minusSeconds(4), "tick")));
        // an instance that is gone: its lines stay
        put(group, "i-0ccc/web", List.of(event(now.minusSeconds(3), "GET /gone 200")));

        assertThat(read(new Provider.LogsRequest(APP, "web", false))).containsExactly(
                "i-0aaa/web GET / 200 (old)", "i-0aaa/init i2kit: service web: running", "i-0aaa/web GET / 200",
                "i-0bbb/sidecar tick", "i-0ccc/web GET /gone 200");
        assertThat(read(new Provider.LogsRequest(APP, "web", false, Optional.of(now.minusSeconds(60)), Optional.of("web"))))
                .containsExactly("i-0aaa/web GET / 200", "i-0ccc/web GET /gone 200");
        assertThat(read(new Provider.LogsRequest(APP, "web", false, Optional.empty(), Optional.of("init"))))
                .containsExactly("i-0aaa/init i2kit: service web: running");
        assertThat(read(new Provider.LogsRequest(APP, "worker", false))).as("nothing shipped yet").isEmpty();
        assertThatThrownBy(() -> read(new Provider.LogsRequest(APP, "nope", false)))
                .isInstanceOf(I2kitException.class)
                .hasMessage("no log group /i2kit/scaling/nope: service nope of scaling is not deployed here, or was "
                        + "deployed by an i2kit without central logs (i2kit up makes the group)");
    }

    @Test
    @Order(5)
    void followingPrintsEventsAsTheyArriveIncludingLateOnesOnce() throws Exception {
        String group = "/i2kit/scaling/worker";
        Instant start = Instant.now();
        put(group, "i-0ddd/worker", List.of(event(start.minusSeconds(1), "before")));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread follower = new Thread(() -> provider().logs(new Provider.LogsRequest(APP, "worker", true,
                Optional.of(start.minusSeconds(30)), Optional.of("worker")), l -> lines.add(l.origin() + " " + l.text()),
                Events.NONE));
        follower.start();
        try {
            await(lines, 1);
            logs.putLogEvents(r -> r.logGroupName(group).logStreamName("i-0ddd/worker")
                    .logEvents(event(Instant.now(), "while following")));
            // a batch that arrives late: older than what was already printed
            put(group, "i-0eee/worker", List.of(event(start.minusSeconds(20), "late batch")));
            put(group, "i-0eee/init", List.of(event(Instant.now(), "not this container")));
            await(lines, 3);
            Thread.sleep(5_000); // two more polls: nothing printed twice
        } finally {
            follower.interrupt();
            follower.join(10_000);
        }
        assertThat(follower.isAlive()).as("interrupting ends the follow").isFalse();
        assertThat(lines).containsExactlyInAnyOrder("i-0ddd/worker before", "i-0ddd/worker while following",
                "i-0eee/worker late batch");
        assertThat(lines.get(0)).isEqualTo("i-0ddd/worker before");
    }

    private static void await(List<String> lines, int count) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(30);
        while (lines.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
        }
        assertThat(lines).as("lines printed while following").hasSizeGreaterThanOrEqualTo(count);
    }

    @Test
    @Order(6)
    void downDeletesTheLogGroupsWithTheStacks() {
        operations().down(APP, false, true, false);
        assertThat(logs.describeLogGroups(r -> r.logGroupNamePrefix("/i2kit/scaling/")).logGroups()).isEmpty();
        assertThat(autoScaling.describePolicies().scalingPolicies()).isEmpty();
    }

    private static List<String> read(Provider.LogsRequest request) {
        List<String> lines = new ArrayList<>();
        provider().logs(request, l -> lines.add(l.origin() + " " + l.text()), Events.NONE);
        return lines;
    }

    private static void put(String group, String stream, List<InputLogEvent> events) {
        logs.createLogStream(r -> r.logGroupName(group).logStreamName(stream));
        logs.putLogEvents(r -> r.logGroupName(group).logStreamName(stream).logEvents(events));
    }

    private static InputLogEvent event(Instant at, String message) {
        return InputLogEvent.builder().timestamp(at.toEpochMilli()).message(message).build();
    }

    private static Map<String, BuiltImage> withDigest(Release release, String service, String salt) {
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        for (Service s : release.discovery().application().services()) {
            BuiltImage image = release.image(s.name());
            images.put(s.name(), !s.name().equals(service) ? image : new BuiltImage(image.service(),
                    Digest.of(("scaling-it " + service + salt).getBytes(StandardCharsets.UTF_8)), image.kernel(),
                    image.initrd(), image.cmdline(), image.efi(), image.record(), image.upToDate()));
        }
        return images;
    }

    private static String physicalId(String stack, String logicalId) {
        return cloudFormation.describeStackResource(r -> r.stackName(stack).logicalResourceId(logicalId))
                .stackResourceDetail().physicalResourceId();
    }

    private static String parameter(String stack, String key) {
        return cloudFormation.describeStacks(r -> r.stackName(stack)).stacks().get(0).parameters().stream()
                .filter(p -> p.parameterKey().equals(key)).findFirst().orElseThrow().parameterValue();
    }
}
