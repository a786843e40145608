package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.MotoServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.Stack;
import software.amazon.awssdk.services.cloudformation.model.StackStatus;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Instance;
import software.amazon.awssdk.services.ec2.model.InstanceStateName;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.HostedZone;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;

/**
 * The multi-service example deployed to AWS the way a user would, with the packaged CLI and
 * {@code examples/polls/aws.yml} as it is, against moto server with only AWS_ENDPOINT_URL, a region
 * and dummy credentials set. One ordered story, since each step starts from what the last left:
 * plan of a first deploy, up, up again (nothing touched), an update of one service (only its
 * stack changes), status, down (nothing left), and a stack that fails.
 *
 * <p>What moto cannot show, and is therefore not asserted: instances never boot (moto runs no
 * VMs), so no load balancer target becomes healthy and no HTTP request reaches a service; stack
 * operations complete synchronously, so the events stream is short.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AwsPollsIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SERVICES = List.of("vote", "queue", "worker", "db", "result");

    private static Path polls;
    private static Path env;
    private static Path home;
    private static CloudFormationClient cloudFormation;
    private static Ec2Client ec2;
    private static Route53Client route53;

    @BeforeAll
    static void copyTheExample(CloudFormationClient cloudFormation, Ec2Client ec2, Route53Client route53)
            throws IOException {
        home = BootstrappedHome.get().root();
        // A copy of the example beside a link to the example images, so that the update below
        // edits the copy only; the relative image paths still resolve.
        Path root = Files.createDirectories(Path.of("target/aws-it").toAbsolutePath());
        Path examples = root.resolve("examples");
        deleteRecursively(examples);
        Files.createDirectories(examples);
        Files.createSymbolicLink(examples.resolve("images"), BootstrappedHome.EXAMPLE_IMAGES);
        polls = Files.createDirectories(examples.resolve("polls"));
        for (String f : List.of("i2kit.yml", "aws.yml")) {
            Files.copy(Path.of("examples/polls").resolve(f), polls.resolve(f));
        }
        env = polls.resolve("aws.yml");
        AwsPollsIT.cloudFormation = cloudFormation;
        AwsPollsIT.ec2 = ec2;
        AwsPollsIT.route53 = route53;
        // aws.yml's public_zone, as the user who owns it has it in Route 53
        route53.createHostedZone(r -> r.name("polls.example.com").callerReference("polls-public-" + System.nanoTime()));
    }

    private static Cli.Run i2kit(String... args) throws Exception {
        return Cli.run(home, MOTO.environment(), args);
    }

    @Test
    @Order(1)
    void aFirstPlanShowsEveryStackAndUploadsNothing() throws Exception {
        Cli.Run plan = i2kit("plan", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(plan.out()).contains("create     i2kit-polls\n");
        for (String s : SERVICES) {
            assertThat(plan.out()).contains("upload     " + s).contains("create     i2kit-polls-" + s);
        }
        assertThat(plan.out()).contains("AWS::AutoScaling::AutoScalingGroup", "AWS::Route53::HostedZone");
        assertThat(activeStacks()).as("a plan leaves no stack behind").isEmpty();
        assertThat(i2kitImages()).as("a plan uploads nothing").isEmpty();
    }

    @Test
    @Order(2)
    void upDeploysEveryServiceOnItsOwnAmiWithDiscoveryRecords() throws Exception {
        Cli.Run up = i2kit("up", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        for (String s : SERVICES) {
            assertThat(up.out()).contains("i2kit-polls-" + s).containsPattern("(?m)^" + s + " +ami-");
        }
        assertThat(up.out()).as("public services print their https URLs in the public zone")
                .containsPattern("vote .*https://vote\\.polls\\.example\\.com")
                .containsPattern("result .*https://result\\.polls\\.example\\.com:8443");
        assertThat(up.err()).as("live progress from the stack events")
                .contains("[i2kit-polls-vote]", "CREATE_COMPLETE").doesNotContain(MotoServer.CREDENTIAL);
        assertThat(up.err()).as("up waits for the instances to pass the load balancer's checks")
                .contains("[i2kit-polls-vote] 2/2 instances healthy behind the load balancer",
                        "[i2kit-polls-db] 1/1 instances healthy behind the load balancer");

        Map<String, Stack> stacks = activeStacks();
        assertThat(stacks.keySet()).containsExactlyInAnyOrder("i2kit-polls", "i2kit-polls-vote", "i2kit-polls-queue",
                "i2kit-polls-worker", "i2kit-polls-db", "i2kit-polls-result");
        assertThat(stacks.values()).allSatisfy(s -> assertThat(s.stackStatus()).isEqualTo(StackStatus.CREATE_COMPLETE));

        // moto keeps only an AMI's name and tags (not its boot mode, ENA or architecture): the
        // request i2kit sends is checked in AmiPublisherIT.
        Map<String, Image> amis = i2kitImages();
        assertThat(amis.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(amis.values()).allSatisfy(ami -> assertThat(tag(ami, "i2kit:image-digest")).startsWith("sha256:"));
        // Each service's instances run that service's new AMI: vote has 2 replicas, the others 1.
        Map<String, List<String>> imagesOfInstances = instancesByService();
        assertThat(imagesOfInstances.get("vote")).hasSize(2);
        for (String s : SERVICES) {
            assertThat(imagesOfInstances.get(s)).isNotEmpty().allMatch(id -> id.equals(amis.get(s).imageId()));
        }
        assertThat(discoveryRecords()).containsKeys("vote.polls.i2kit.internal.", "queue.polls.i2kit.internal.",
                "db.polls.i2kit.internal.", "result.polls.i2kit.internal.").doesNotContainKey("worker.polls.i2kit.internal.");
    }

    @Test
    @Order(3)
    void aSecondUpTouchesNothing() throws Exception {
        Map<String, String> before = stackIds();
        Cli.Run up = i2kit("up", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(up.out()).contains("reused").doesNotContain("made from");
        for (String stack : before.keySet()) {
            assertThat(up.out()).containsPattern("(?m)^" + stack + " +unchanged$");
        }
        assertThat(up.err()).doesNotContain("uploaded");
        assertThat(stackIds()).isEqualTo(before);
    }

    @Test
    @Order(4)
    void anUpdateOfOneServiceChangesOnlyItsStack() throws Exception {
        Path manifest = polls.resolve("i2kit.yml");
        Files.writeString(manifest, Files.readString(manifest).replace("OPTION_A: Cats\n          OPTION_B: Dogs\n\n  queue",
                "OPTION_A: Lions\n          OPTION_B: Dogs\n\n  queue"));
        String oldVoteAmi = i2kitImages().get("vote").imageId();

        Cli.Run plan = i2kit("plan", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(plan.out()).contains("upload     vote").contains("update     i2kit-polls-vote")
                .contains("unchanged  i2kit-polls-result").contains("unchanged  i2kit-polls\n");

        Cli.Run up = i2kit("up", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(up.out()).containsPattern("(?m)^i2kit-polls-vote +updated$");
        for (String s : List.of("queue", "worker", "db", "result")) {
            assertThat(up.out()).containsPattern("(?m)^i2kit-polls-" + s + " +unchanged$");
        }
        assertThat(up.out()).containsPattern("(?m)^i2kit-polls +unchanged$");
        String newVoteAmi = i2kitImagesAll().stream().filter(i -> tag(i, "i2kit:service").equals("vote"))
                .map(Image::imageId).filter(id -> !id.equals(oldVoteAmi)).findFirst().orElseThrow();
        // On AWS the replacing update makes a new scaling group whose instances run the new AMI;
        // moto gives the launch template its new version but leaves the group as it was, so the
        // launch template is what is checked.
        String launchTemplate = cloudFormation.describeStackResource(r -> r.stackName("i2kit-polls-vote")
                .logicalResourceId("LaunchTemplate")).stackResourceDetail().physicalResourceId();
        assertThat(ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(launchTemplate).versions("$Latest"))
                .launchTemplateVersions().get(0).launchTemplateData().imageId()).isEqualTo(newVoteAmi);
    }

    /**
     * vote and result updated together; vote's instances never serve, so vote's update is rolled
     * back, and result's too although it succeeded: an up is one change across services.
     */
    @Test
    @Order(5)
    void anUpdateWhoseInstancesNeverServeIsRolledBackWithEveryOtherStackItChanged() throws Exception {
        String voteTemplate = launchTemplate("i2kit-polls-vote");
        String resultTemplate = launchTemplate("i2kit-polls-result");
        String voteBefore = latestImage(voteTemplate);
        String resultBefore = latestImage(resultTemplate);
        // moto never replaces the scaling group on an update, and reports a stopped instance as an
        // unhealthy target: stopping vote's instances stands in for a new image that does not serve.
        List<String> vote = runningInstances().stream().filter(i -> i.tags().stream()
                .anyMatch(t -> t.key().equals("i2kit:service") && t.value().equals("vote"))).map(Instance::instanceId).toList();
        ec2.stopInstances(r -> r.instanceIds(vote));
        Path manifest = polls.resolve("i2kit.yml");
        String before = Files.readString(manifest);
        try {
            Files.writeString(manifest, before.replace("OPTION_A: Lions", "OPTION_A: Tigers")
                    .replace("redis://${db.endpoint}/0\n          OPTION_A: Cats", "redis://${db.endpoint}/0\n          OPTION_A: Pumas"));
            assertThat(Files.readString(manifest)).contains("OPTION_A: Pumas");
            Cli.Run up = i2kit("up", "-f", polls.toString(), "-e", env.toString(), "--health-timeout", "3s");
            assertThat(up.status()).as(up.err()).isEqualTo(1);
            assertThat(up.err()).contains("[i2kit-polls-vote] not serving: rolling back to what ran before",
                    "[i2kit-polls-result] the update of vote failed: rolling back to what ran before",
                    "error: the update failed and every service stack it changed was rolled back:",
                    "  vote: failed: the update of vote was rolled back: 0/2 instances healthy behind the load balancer",
                    "Target is in the stopped state", "after 3s",
                    "  result: rolled back: i2kit-polls-result deployed again as it was (ImageId " + resultBefore
                            + ") because the update of vote failed");
            assertThat(latestImage(voteTemplate)).as("vote's launch template runs the previous AMI again").isEqualTo(voteBefore);
            assertThat(latestImage(resultTemplate)).as("result's launch template runs the previous AMI again")
                    .isEqualTo(resultBefore);
        } finally {
            Files.writeString(manifest, before);
            ec2.startInstances(r -> r.instanceIds(vote));
        }
    }

    private static String launchTemplate(String stack) {
        return cloudFormation.describeStackResource(r -> r.stackName(stack).logicalResourceId("LaunchTemplate"))
                .stackResourceDetail().physicalResourceId();
    }

    private static String latestImage(String launchTemplate) {
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(launchTemplate).versions("$Latest"))
                .launchTemplateVersions().get(0).launchTemplateData().imageId();
    }

    @Test
    @Order(6)
    void statusShowsStacksInstancesAndEndpoints() throws Exception {
        JsonNode status = JSON.readTree(i2kit("status", "-f", polls.toString(), "-e", env.toString(), "--output", "json")
                .assertSuccess().out());
        assertThat(status.path("application").asText()).isEqualTo("polls");
        assertThat(status.path("environment").path("status").asText()).endsWith("_COMPLETE");
        Set<String> names = Stream.of(JSON.convertValue(status.path("services"), JsonNode[].class))
                .map(s -> s.path("name").asText()).collect(Collectors.toSet());
        assertThat(names).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode s : status.path("services")) {
            String name = s.path("name").asText();
            assertThat(s.path("instances").size()).as(name).isEqualTo(name.equals("vote") ? 2 : 1);
            if (!name.equals("worker")) {
                assertThat(s.path("endpoint").asText()).as(name).startsWith(name + ".polls.i2kit.internal:");
            }
        }
        Cli.Run text = i2kit("status", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(text.out()).contains("polls on AWS eu-west-1").containsPattern("vote +\\d/2");

        // Nothing shipped (moto runs no VM): CloudWatch Logs has the group and no line.
        assertThat(i2kit("logs", "-f", polls.toString(), "-e", env.toString(), "vote").assertSuccess().out()).isEmpty();
        // moto's console output is a fixed text; what matters is one prefixed copy per instance.
        Cli.Run logs = i2kit("logs", "-f", polls.toString(), "-e", env.toString(), "vote", "--container", "console")
                .assertSuccess();
        assertThat(logs.out().lines().map(l -> l.substring(0, l.indexOf(']') + 1)).distinct().toList())
                .hasSize(2).allMatch(prefix -> prefix.startsWith("[i-"));
    }

    @Test
    @Order(7)
    void downKeepsTheDataVolumeAndDownDeleteDataLeavesNothingButItsFinalSnapshot() throws Exception {
        Cli.Run down = i2kit("down", "-f", polls.toString(), "-e", env.toString()).assertSuccess();
        assertThat(down.out()).contains("deleted 6 stacks");
        assertThat(down.out() + down.err()).containsPattern("kept volume vol-\\S+ db/1 data 1 GiB");
        assertThat(dataVolumes()).hasSize(1);
        assertThat(activeStacks()).isEmpty();
        assertThat(cloudFormation.listExports().exports()).isEmpty();
        assertThat(i2kitImagesAll()).isEmpty();
        assertThat(runningInstances()).isEmpty();

        Cli.Run deleteData = i2kit("down", "-f", polls.toString(), "-e", env.toString(), "--delete-data").assertSuccess();
        assertThat(deleteData.out() + deleteData.err()).containsPattern("deleted volume vol-\\S+ db/1 data 1 GiB")
                .contains("final snapshot snap-");
        assertThat(dataVolumes()).isEmpty();
        assertThat(ec2.describeSnapshots(r -> r.filters(Filter.builder().name("tag:i2kit:application").values("polls")
                .build())).snapshots()).as("only the final snapshot of the data volume is left").singleElement()
                .satisfies(s -> assertThat(s.tags()).anyMatch(t -> t.key().equals("i2kit:final-snapshot")));
    }

    private List<software.amazon.awssdk.services.ec2.model.Volume> dataVolumes() {
        return ec2.describeVolumes(r -> r.filters(Filter.builder().name("tag:i2kit:data-of").values("polls").build()))
                .volumes();
    }

    @Test
    @Order(8)
    void aMissingSubnetShowsItsReasonAndExitsWithOne() throws Exception {
        Path bad = polls.resolve("missing-vpc.yml");
        Files.writeString(bad, """
                provider: aws
                region: eu-west-1
                vpc: vpc-0123456789abcdef0
                subnets: [subnet-0123456789abcdef0, subnet-0123456789abcdef1]
                public_zone: polls.example.com
                """);
        Cli.Run up = i2kit("up", "-f", polls.toString(), "-e", bad.toString());
        assertThat(up.status()).as(up.err()).isEqualTo(1);
        // db is stateful: the zones of the given subnets are looked up before any stack is made.
        assertThat(up.err()).containsPattern("The subnet ID 'subnet-0123456789abcdef[01]' does not exist")
                .doesNotContain("Exception", "\tat ");
        i2kit("down", "-f", polls.toString(), "-e", bad.toString()).assertSuccess();
        assertThat(activeStacks()).isEmpty();
    }

    @Test
    @Order(9)
    void withoutCredentialsItSaysWhereTheyComeFrom() throws Exception {
        Map<String, String> none = new HashMap<>(MOTO.environment());
        none.put("AWS_ACCESS_KEY_ID", "");
        none.put("AWS_SECRET_ACCESS_KEY", "");
        none.put("AWS_PROFILE", "");
        none.put("AWS_EC2_METADATA_DISABLED", "true");
        Cli.Run status = Cli.run(home, none, "status", "-f", polls.toString(), "-e", env.toString());
        assertThat(status.status()).isEqualTo(1);
        assertThat(status.err()).contains("error: no AWS credentials found: set AWS_ACCESS_KEY_ID and "
                + "AWS_SECRET_ACCESS_KEY, or AWS_PROFILE").doesNotContain("\tat ");
        Cli.Run up = Cli.run(home, none, "up", "-f", polls.toString(), "-e", env.toString());
        assertThat(up.status()).isEqualTo(1);
        assertThat(up.err()).as("refused before anything is built or sent")
                .contains("error: no AWS credentials found").doesNotContain("EBS", "[i2kit-polls");
    }

    private static Map<String, Stack> activeStacks() {
        Map<String, Stack> stacks = new HashMap<>();
        cloudFormation.describeStacksPaginator().stacks().stream()
                .filter(s -> s.stackStatus() != StackStatus.DELETE_COMPLETE)
                .forEach(s -> stacks.put(s.stackName(), s));
        return stacks;
    }

    private static Map<String, String> stackIds() {
        Map<String, String> ids = new HashMap<>();
        activeStacks().forEach((name, s) -> ids.put(name, s.stackStatus() + " " + s.lastUpdatedTime()));
        return ids;
    }

    private static List<Image> i2kitImagesAll() {
        return ec2.describeImages(r -> r.owners("self").filters(Filter.builder().name("tag:i2kit:application")
                .values("polls").build())).images();
    }

    /** The newest AMI per service. */
    private static Map<String, Image> i2kitImages() {
        Map<String, Image> images = new HashMap<>();
        i2kitImagesAll().stream().sorted((a, b) -> a.creationDate().compareTo(b.creationDate()))
                .forEach(i -> images.put(tag(i, "i2kit:service"), i));
        return images;
    }

    private static String tag(Image image, String key) {
        return image.tags().stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst().orElse("");
    }

    private static List<Instance> runningInstances() {
        return ec2.describeInstances().reservations().stream().flatMap(r -> r.instances().stream())
                .filter(i -> i.state().name() != InstanceStateName.TERMINATED).toList();
    }

    private static Map<String, List<String>> instancesByService() {
        Map<String, List<String>> byService = new HashMap<>();
        for (Instance i : runningInstances()) {
            String service = i.tags().stream().filter(t -> t.key().equals("i2kit:service")).map(t -> t.value())
                    .findFirst().orElse("?");
            byService.computeIfAbsent(service, k -> new java.util.ArrayList<>()).add(i.imageId());
        }
        return byService;
    }

    private static Map<String, String> discoveryRecords() {
        HostedZone zone = route53.listHostedZones().hostedZones().stream()
                .filter(z -> z.name().startsWith("polls.i2kit.internal")).findFirst().orElseThrow();
        Map<String, String> records = new HashMap<>();
        for (ResourceRecordSet r : route53.listResourceRecordSets(q -> q.hostedZoneId(zone.id())).resourceRecordSets()) {
            if (r.typeAsString().equals("CNAME")) {
                records.put(r.name(), r.resourceRecords().get(0).value());
            }
        }
        return records;
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
