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
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.oci.Digest;
import io.i2kit.provider.Release;
import io.i2kit.provider.aws.stack.StackTimings;
import io.i2kit.secret.SecretInfo;
import io.i2kit.testing.MotoServer;
import java.io.RandomAccessFile;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.LaunchTemplateVersion;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.iam.IamClient;
import software.amazon.awssdk.services.ssm.SsmClient;
import software.amazon.awssdk.services.ssm.model.ParameterType;

/**
 * A stateful application on moto, through the AWS operations {@code up}, {@code plan} and
 * {@code down} run: the stateful fixture ({@code db}: three replicas with two volumes each and a
 * secret; {@code worker}: two secrets; {@code web}: neither), rendered for AWS with a tiny disk per
 * service. One ordered story: up refused while a secret is unset; the secrets set as SecureStrings;
 * up makes encrypted gp3 volumes in their replicas' zones and roles that name exactly their
 * parameters and volumes; a new secret version replaces the instances' launch templates with the
 * same AMI; down keeps the volumes and the next up takes them back; down with delete-data
 * snapshots and deletes them.
 *
 * <p>What moto cannot show is listed in docs/aws.md ("What moto cannot show of volumes and
 * secrets"): DLM, KMS, instance replacement by a rolling update, an instance attaching its volume.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StatefulStacksIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "notes";
    private static final String ACCOUNT = "123456789012";
    private static final StackTimings FAST = new StackTimings(Duration.ofMillis(20), Duration.ofMillis(200),
            Duration.ofSeconds(60));

    private static Release release;
    private static SsmSecretStore secrets;
    private static SsmClient ssm;
    private static IamClient iam;
    private static AutoScalingClient autoScaling;
    private static CloudFormationClient cloudFormation;
    private static Ec2Client ec2;
    private static final List<String> lines = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void render(CloudFormationClient cloudFormation, Ec2Client ec2) throws Exception {
        StatefulStacksIT.cloudFormation = cloudFormation;
        StatefulStacksIT.ec2 = ec2;
        AwsContext context = MOTO.context();
        ssm = context.client(SsmClient.builder());
        iam = context.client(IamClient.builder());
        autoScaling = context.client(AutoScalingClient.builder());
        secrets = SsmSecretStore.of(context, APP);

        Path manifestFile = Path.of("src/test/resources/cloudformation/stateful/i2kit.yml");
        Manifest manifest = ManifestReader.read(manifestFile);
        Problems problems = new Problems();
        Discovery discovery = DiscoveryResolver.resolve(manifest.application(), manifest.sources(), problems);
        problems.throwIfErrors(manifestFile.toString());
        Target target = new Target(Target.Provider.AWS, Optional.of(MotoServer.REGION), Optional.empty(), List.of(),
                Optional.empty(), Optional.empty(), Optional.empty());
        Path dir = Files.createDirectories(Path.of("target/stateful-it").toAbsolutePath());
        Map<String, BuiltImage> images = new LinkedHashMap<>();
        for (Service s : discovery.application().services()) {
            Path efi = dir.resolve(s.name() + "-efi.img");
            try (RandomAccessFile disk = new RandomAccessFile(efi.toFile(), "rw")) {
                disk.setLength(2L << 20);
                disk.write(("a disk of " + s.name()).getBytes(StandardCharsets.US_ASCII));
            }
            images.put(s.name(), new BuiltImage(s.name(), Digest.of(("stateful-it " + s.name()).getBytes(StandardCharsets.UTF_8)),
                    efi, efi, "", Optional.of(efi), null, true));
        }
        release = new Release(discovery, target, images, CloudFormationRenderer.render(discovery, target));
    }

    @AfterAll
    static void cleanUp() {
        try {
            operations().down(APP, false, true, false);
        } finally {
            secrets.list().forEach(s -> secrets.remove(s.name()));
            ec2.describeSnapshots(r -> r.ownerIds("self").filters(tagFilter("i2kit:data-of"))).snapshots()
                    .forEach(s -> ec2.deleteSnapshot(r -> r.snapshotId(s.snapshotId())));
        }
    }

    private static AwsOperations operations() {
        Events events = event -> {
            if (event instanceof Event.Note note) {
                lines.add(note.service().map(s -> "[" + s + "] ").orElse("") + note.text());
            }
        };
        return new AwsOperations(MOTO.context(), events, FAST, Duration.ofSeconds(30));
    }

    @Test
    @Order(1)
    void upIsRefusedWhileASecretIsUnsetAndSaysHowToSetIt() {
        assertThatThrownBy(() -> operations().up(AwsProvider.awsRelease(release)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessageContaining("secrets not set in SSM Parameter Store /i2kit/notes/ in eu-west-1: ")
                .hasMessageContaining("api-token (read by worker)", "notes-db-password (read by db)")
                .hasMessageContaining("i2kit secret set -f MANIFEST -e ENVIRONMENT");
        assertThat(ApplicationStacks.of(cloudFormation, APP)).as("nothing deployed").isEmpty();
    }

    @Test
    @Order(2)
    void secretSetCreatesASecureStringParameterAndListingShowsNoValue() {
        SecretInfo first = secrets.set("notes-db-password", "hunter2-MARKER".getBytes(StandardCharsets.UTF_8));
        SecretInfo second = secrets.set("notes-db-password", "correct horse-MARKER".getBytes(StandardCharsets.UTF_8));
        secrets.set("api-token", "t0ken-MARKER".getBytes(StandardCharsets.UTF_8));
        assertThat(first.version()).isEqualTo(1);
        assertThat(second.version()).isEqualTo(2);
        var parameter = ssm.getParameter(r -> r.name("/i2kit/notes/notes-db-password").withDecryption(true)).parameter();
        assertThat(parameter.type()).isEqualTo(ParameterType.SECURE_STRING);
        assertThat(parameter.value()).isEqualTo("correct horse-MARKER");
        assertThat(secrets.list()).extracting(SecretInfo::name, SecretInfo::version)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("api-token", 1L),
                        org.assertj.core.groups.Tuple.tuple("notes-db-password", 2L));
        assertThat(secrets.list().toString()).doesNotContain("MARKER");
        assertThat(secrets.versions(List.of("notes-db-password", "unset"))).isEqualTo(Map.of("notes-db-password", 2L));
        assertThat(secrets.remove("unset")).isFalse();
        assertThatThrownBy(() -> secrets.set("bad", new byte[] {(byte) 0xff, 0}))
                .isInstanceOf(InvalidInputException.class).hasMessageNotContaining("\u00ff");
    }

    @Test
    @Order(3)
    void upMakesEncryptedVolumesInTheirReplicasZonesAndRolesScopedToOwnParametersAndVolumes() throws Exception {
        operations().up(AwsProvider.awsRelease(release));
        List<Volume> volumes = dataVolumes();
        assertThat(volumes).hasSize(6);
        assertThat(volumes).allSatisfy(v -> {
            assertThat(v.encrypted()).as(v.volumeId()).isTrue();
            assertThat(v.volumeTypeAsString()).isEqualTo("gp3");
        });
        assertThat(volumes).extracting(Volume::size).containsExactlyInAnyOrder(20, 20, 20, 1, 1, 1);
        Map<String, List<String>> volumesOfReplica = new HashMap<>();
        for (Volume v : volumes) {
            String replica = tag(v.tags(), "i2kit:replica");
            volumesOfReplica.computeIfAbsent(replica, k -> new ArrayList<>()).add(v.volumeId());
            // the replica's group runs in the subnet of the volume's zone
            String group = physicalId("i2kit-notes-db", "ScalingGroupR" + replica);
            String subnet = autoScaling.describeAutoScalingGroups(r -> r.autoScalingGroupNames(group)).autoScalingGroups()
                    .get(0).vpcZoneIdentifier();
            assertThat(subnet).doesNotContain(",");
            assertThat(ec2.describeSubnets(r -> r.subnetIds(subnet)).subnets().get(0).availabilityZone())
                    .as("zone of replica %s", replica).isEqualTo(v.availabilityZone());
        }
        assertThat(volumesOfReplica.keySet()).containsExactlyInAnyOrder("1", "2", "3");
        assertThat(volumes.stream().map(Volume::availabilityZone).distinct().count()).as("replicas spread over zones")
                .isEqualTo(2);

        // The db role: exactly its one parameter, and its own six volumes.
        JsonNode db = policy("i2kit-notes-db", "i2kit-db");
        assertThat(statement(db, "ReadOwnSecrets").path("Resource").toString()).isEqualTo(
                "[\"arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/i2kit/notes/notes-db-password\"]");
        List<String> attachable = new ArrayList<>();
        statement(db, "AttachOwnVolumes").path("Resource").forEach(r -> attachable.add(r.asText()));
        assertThat(attachable).containsExactlyInAnyOrderElementsOf(volumes.stream()
                .map(v -> "arn:aws:ec2:eu-west-1:" + ACCOUNT + ":volume/" + v.volumeId()).toList());
        // The worker role: its two parameters, no volume.
        JsonNode worker = policy("i2kit-notes-worker", "i2kit-worker");
        assertThat(statement(worker, "ReadOwnSecrets").path("Resource").toString()).isEqualTo(
                "[\"arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/i2kit/notes/api-token\","
                        + "\"arn:aws:ssm:eu-west-1:" + ACCOUNT + ":parameter/i2kit/notes/notes-db-password\"]");
        assertThat(statement(worker, "AttachOwnVolumes").isMissingNode()).isTrue();

        // Replica 1's user data names its own volumes and the secret's version, never a value.
        String userData = userData(latest("i2kit-notes-db", "LaunchTemplateR1"));
        for (String id : volumesOfReplica.get("1")) {
            assertThat(userData).contains(id);
        }
        assertThat(userData).contains("notes-db-password 2\\n").doesNotContain("MARKER", "${");
        for (String other : volumesOfReplica.get("2")) {
            assertThat(userData).doesNotContain(other);
        }
    }

    @Test
    @Order(4)
    void aNewSecretVersionReplacesTheLaunchTemplatesOfItsReadersWithTheSameAmi() {
        LaunchTemplateVersion dbBefore = latest("i2kit-notes-db", "LaunchTemplateR1");
        LaunchTemplateVersion workerBefore = latest("i2kit-notes-worker", "LaunchTemplate");
        LaunchTemplateVersion webBefore = latest("i2kit-notes-web", "LaunchTemplate");
        secrets.set("notes-db-password", "rotated-MARKER".getBytes(StandardCharsets.UTF_8));

        AwsPlan plan = operations().plan(AwsProvider.awsRelease(release));
        Map<String, AwsPlan.StackPlan> stacks = new HashMap<>();
        plan.stacks().forEach(s -> stacks.put(s.stack(), s));
        assertThat(plan.images()).allSatisfy(i -> assertThat(i.imageId()).as("AMI reused").isPresent());
        assertThat(stacks.get("i2kit-notes-db").action()).isEqualTo("update");
        assertThat(stacks.get("i2kit-notes-db").note()).contains("SecretVersion1")
                .contains("replaced stop-first, downtime while each replica restarts");
        assertThat(stacks.get("i2kit-notes-worker").note()).contains("SecretVersion").doesNotContain("downtime");
        assertThat(stacks.get("i2kit-notes-web").action()).isEqualTo("unchanged");

        AwsDeployment up = operations().up(AwsProvider.awsRelease(release));
        assertThat(up.images()).allSatisfy(i -> assertThat(i.reused()).isTrue());
        LaunchTemplateVersion dbAfter = latest("i2kit-notes-db", "LaunchTemplateR1");
        assertThat(dbAfter.versionNumber()).isGreaterThan(dbBefore.versionNumber());
        assertThat(dbAfter.launchTemplateData().imageId()).isEqualTo(dbBefore.launchTemplateData().imageId());
        assertThat(userData(dbAfter)).contains("notes-db-password 3\\n");
        LaunchTemplateVersion workerAfter = latest("i2kit-notes-worker", "LaunchTemplate");
        assertThat(workerAfter.versionNumber()).isGreaterThan(workerBefore.versionNumber());
        assertThat(workerAfter.launchTemplateData().imageId()).isEqualTo(workerBefore.launchTemplateData().imageId());
        assertThat(latest("i2kit-notes-web", "LaunchTemplate").versionNumber()).isEqualTo(webBefore.versionNumber());
        assertThat(dataVolumes()).as("the update kept every volume").hasSize(6);
    }

    @Test
    @Order(5)
    void downKeepsTheVolumesAndListsThem() {
        List<String> before = dataVolumes().stream().map(Volume::volumeId).sorted().toList();
        AwsRemoval removal = operations().down(APP, false, false, true);
        assertThat(ApplicationStacks.of(cloudFormation, APP)).isEmpty();
        assertThat(removal.keptVolumes()).extracting(AwsRemoval.DataVolume::id).containsExactlyInAnyOrderElementsOf(before);
        assertThat(removal.keptVolumes()).extracting(v -> v.service() + "/" + v.replica() + " " + v.volume() + " " + v.sizeGiB())
                .contains("db/1 data 20", "db/3 wal-log 1");
        assertThat(removal.deletedVolumes()).isEmpty();
        assertThat(dataVolumes().stream().map(Volume::volumeId).sorted().toList()).isEqualTo(before);
    }

    @Test
    @Order(6)
    void theNextUpTakesTheKeptVolumesBack() throws Exception {
        Map<String, String> kept = new HashMap<>();
        dataVolumes().forEach(v -> kept.put(tag(v.tags(), "i2kit:volume") + " " + tag(v.tags(), "i2kit:replica"), v.volumeId()));
        operations().up(AwsProvider.awsRelease(release));
        assertThat(dataVolumes()).as("no new volume").extracting(Volume::volumeId)
                .containsExactlyInAnyOrderElementsOf(kept.values());
        for (int replica = 1; replica <= 3; replica++) {
            String userData = userData(latest("i2kit-notes-db", "LaunchTemplateR" + replica));
            assertThat(userData).contains("\"data\":{\"content\":\"" + kept.get("data " + replica) + "\"}",
                    "\"wal-log\":{\"content\":\"" + kept.get("wal-log " + replica) + "\"}");
        }
        List<String> attachable = new ArrayList<>();
        statement(policy("i2kit-notes-db", "i2kit-db"), "AttachOwnVolumes").path("Resource").forEach(r -> attachable.add(r.asText()));
        assertThat(attachable).containsExactlyInAnyOrderElementsOf(kept.values().stream()
                .map(id -> "arn:aws:ec2:eu-west-1:" + ACCOUNT + ":volume/" + id).toList());
        // The stack did not make them, so deleting it keeps them all the more.
        assertThat(cloudFormation.describeStackResources(r -> r.stackName("i2kit-notes-db")).stackResources())
                .noneMatch(r -> r.resourceType().equals("AWS::EC2::Volume"));
    }

    @Test
    @Order(7)
    void downWithDeleteDataTakesAFinalSnapshotOfEachThenDeletesThem() {
        List<String> before = dataVolumes().stream().map(Volume::volumeId).sorted().toList();
        AwsRemoval removal = operations().down(APP, false, true, true);
        assertThat(removal.deletedVolumes()).extracting(AwsRemoval.DataVolume::id).containsExactlyInAnyOrderElementsOf(before);
        assertThat(dataVolumes()).isEmpty();
        List<Snapshot> finals = ec2.describeSnapshots(r -> r.ownerIds("self").filters(tagFilter("i2kit:final-snapshot")))
                .snapshots();
        assertThat(finals).extracting(Snapshot::volumeId).containsExactlyInAnyOrderElementsOf(before);
        assertThat(removal.deletedVolumes()).allSatisfy(v -> assertThat(v.finalSnapshot()).isPresent());
        // down also removed the images' snapshots, and left these: they are data.
        assertThat(lines).anyMatch(l -> l.contains("final snapshot snap-"));
    }

    private static List<Volume> dataVolumes() {
        return ec2.describeVolumes(r -> r.filters(Filter.builder().name("tag:i2kit:data-of").values(APP).build())).volumes();
    }

    private static Filter tagFilter(String key) {
        return Filter.builder().name("tag-key").values(key).build();
    }

    /** Through DescribeStackResources: moto's DescribeStackResource fails on a stack with a resource its condition left out. */
    private static String physicalId(String stack, String logicalId) {
        return cloudFormation.describeStackResources(r -> r.stackName(stack)).stackResources().stream()
                .filter(r -> r.logicalResourceId().equals(logicalId)).findFirst().orElseThrow().physicalResourceId();
    }

    private static LaunchTemplateVersion latest(String stack, String logicalId) {
        String id = physicalId(stack, logicalId);
        return ec2.describeLaunchTemplateVersions(r -> r.launchTemplateId(id).versions("$Latest")).launchTemplateVersions().get(0);
    }

    private static String userData(LaunchTemplateVersion version) {
        return new String(Base64.getDecoder().decode(version.launchTemplateData().userData()), StandardCharsets.UTF_8);
    }

    private static JsonNode policy(String stack, String policyName) throws Exception {
        String role = physicalId(stack, "InstanceRole");
        String document = iam.getRolePolicy(r -> r.roleName(role).policyName(policyName)).policyDocument();
        return JSON.readTree(document.startsWith("{") ? document : URLDecoder.decode(document, StandardCharsets.UTF_8));
    }

    private static JsonNode statement(JsonNode policy, String sid) {
        for (JsonNode s : policy.path("Statement")) {
            if (s.path("Sid").asText().equals(sid)) {
                return s;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String tag(List<software.amazon.awssdk.services.ec2.model.Tag> tags, String key) {
        return tags.stream().filter(t -> t.key().equals(key)).map(t -> t.value()).findFirst().orElse("");
    }
}
