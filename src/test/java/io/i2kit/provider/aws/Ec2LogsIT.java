package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.BootMetadata;
import io.i2kit.event.Progress;
import io.i2kit.image.Compression;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.InstanceMetadataServer.Request;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.MotoServer;
import io.i2kit.testing.QemuVm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.ResourceNotFoundException;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * A VM booted as an EC2 instance ships its container's lines and its init's to CloudWatch Logs
 * itself: group {@code /i2kit/APP/SERVICE} from its boot metadata, streams
 * {@code INSTANCE/CONTAINER} and {@code INSTANCE/init}, each message the line without the
 * console's label. Its role's credentials (served expiring in 10 minutes) are renewed from IMDS
 * while the container, which tries IMDS five times a second, is frozen: it never gets an answer.
 *
 * <p>Real: the raw-efi image booted by OVMF, i2kit's init and its SigV4 signer, moto's CloudWatch
 * Logs reached through QEMU's user network, read back with the SDK. Standing in: SMBIOS "Amazon
 * EC2" and the IMDSv2 server of {@link InstanceMetadataServer}; moto does not check signatures
 * (SigV4SignerIT does) nor the role's policy (the rendered template is checked instead).
 */
class Ec2LogsIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final Duration BOOT = Duration.ofSeconds(Long.getLong("i2kit.it.boot", 240));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "chatty";
    private static final String SERVICE = "talker";
    private static final String GROUP = "/i2kit/" + APP + "/" + SERVICE;
    private static final String ROLE = "i2kit-chatty-talker";
    private static final String SECRET_KEY = "role/secret+key0123456789abcdefghijklmno";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEI2KIT//////////logs+session/token==";
    /** The host as QEMU's user network shows it when the network is 169.254.0.0/16 (Extras.ec2). */
    private static final String HOST = "169.254.2.2";

    @TempDir
    static Path dir;
    static BuiltImage image;

    @BeforeAll
    static void build() throws Exception {
        I2kitHome home = BootstrappedHome.get();
        Path app = Files.createDirectories(dir.resolve("app"));
        // five numbered lines, then IMDS tried for 60 s (through the credentials' renewal): any answer is printed
        String probe = "for i in 1 2 3 4 5; do echo \"line $i from the probe\"; done;"
                + " n=0; while [ $n -lt 300 ]; do"
                + " if answer=$(printf 'PUT /latest/api/token HTTP/1.0\\r\\nX-aws-ec2-metadata-token-ttl-seconds: 60\\r\\n\\r\\n'"
                + " | nc -w 1 169.254.169.254 80 2>/dev/null) && [ -n \"$answer\" ]; then echo \"imds: answered: $answer\"; fi;"
                + " n=$((n + 1)); sleep 0.2; done; echo 'imds: tried 300 times'; exec sleep 3600";
        Files.writeString(app.resolve("i2kit.yml"), """
                name: %s
                services:
                  %s:
                    replicas: 1
                    containers:
                      probe:
                        image: oci:%s:latest
                        command: ["/bin/sh", "-c", %s]
                """.formatted(APP, SERVICE, BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci"), JSON.writeValueAsString(probe)));
        Path environment = Files.writeString(dir.resolve("aws.yml"), "provider: aws\nregion: " + MotoServer.REGION + "\n");
        Pipeline.Loaded loaded = Pipeline.load(app, Optional.of(environment));
        ImageSources sources = ImageSources.standard(home, loaded.manifest().directory(),
                RegistrySettings.fromEnvironment(Map.of()));
        image = new ApplicationBuilder(home, sources, Progress.NONE)
                .build(Pipeline.validate(loaded), LockFile.EMPTY, new ApplicationBuilder.Options(Compression.GZIP, true, Set.of(SERVICE)))
                .images().get(0);
    }

    @Test
    void shipsTheContainersLinesAndTheInitsToCloudWatchLogs(Ec2Client ec2, CloudWatchLogsClient logs) throws Exception {
        // the service stack makes the group on AWS; the VM makes its streams
        logs.createLogGroup(r -> r.logGroupName(GROUP));
        String imageId = ec2.describeImages().images().get(0).imageId();
        String instance = ec2.runInstances(r -> r.imageId(imageId).minCount(1).maxCount(1)).instances().get(0).instanceId();
        String expiration = Instant.now().plus(10, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
        String console;
        List<Request> requests;
        List<String> probe;
        List<String> init;
        try (InstanceMetadataServer imds = InstanceMetadataServer.start(userData().getBytes(StandardCharsets.UTF_8),
                metadata(instance, expiration), true);
             QemuVm qemu = QemuVm.bootEfi(image.efi().orElseThrow(), 256, List.of(), null, Files.createDirectories(dir.resolve("vm")),
                     QemuVm.Extras.ec2("t3.small", imds.port()))) {
            probe = qemu.await("the probe's lines in CloudWatch Logs", BOOT, () -> Optional.of(messages(logs, instance + "/probe"))
                    .filter(m -> m.contains("line 5 from the probe")));
            init = qemu.await("the renewal in the init's stream", BOOT, () -> Optional.of(messages(logs, instance + "/init"))
                    .filter(m -> m.stream().anyMatch(l -> l.contains("credentials renewed"))));
            qemu.await("the probe's last IMDS attempt", BOOT, () -> Optional.of(qemu.console())
                    .filter(c -> c.contains("imds: tried 300 times")));
            console = qemu.console();
            requests = imds.requests();
        }
        console.lines().filter(l -> l.contains("i2kit: logs: ") || l.contains("i2kit: started ")).forEach(l -> System.out.println(l.strip()));

        assertThat(probe).as("the container's lines, without the console's label")
                .containsSubsequence("line 1 from the probe", "line 2 from the probe", "line 5 from the probe")
                .noneMatch(l -> l.startsWith("[probe]"));
        assertThat(init).as("the init's lines, boot to renewal")
                .anyMatch(l -> l.startsWith("i2kit: init on "))
                .contains("i2kit: aws: instance " + instance + " in " + MotoServer.REGION + ", role " + ROLE)
                .contains("i2kit: logs: shipping to CloudWatch Logs group " + GROUP)
                .anyMatch(l -> l.startsWith("i2kit: started 1 services"))
                .anyMatch(l -> l.matches("i2kit: logs: credentials renewed, expiring .* \\([1-9][0-9]* containers paused while IMDS was open\\)"))
                .allMatch(l -> l.startsWith("i2kit: "));
        assertThat(console).as("the probe never reached IMDS, not even while the shipper renewed")
                .contains("imds: tried 300 times").doesNotContain("imds: answered");
        assertThat(requests).as("IMDS: a token for the user data, one for the boot's AWS work, one for the renewal")
                .filteredOn(r -> r.method().equals("PUT")).hasSize(3);
        assertThat(requests).extracting(Request::path).filteredOn(("/latest/meta-data/iam/security-credentials/" + ROLE)::equals)
                .hasSize(2);
        assertThat(console).as("no credential on the console").doesNotContain(SECRET_KEY, SESSION_TOKEN);
        assertThat(String.join("\n", init)).as("no credential in the logs").doesNotContain(SECRET_KEY, SESSION_TOKEN);
    }

    private static List<String> messages(CloudWatchLogsClient logs, String stream) {
        try {
            return logs.getLogEvents(r -> r.logGroupName(GROUP).logStreamName(stream).startFromHead(true)).events().stream()
                    .map(OutputLogEvent::message).toList();
        } catch (ResourceNotFoundException e) {
            return List.of();
        }
    }

    /** BootMetadata as the launch template carries it, plus the test-only endpoint (moto on the host). */
    private static String userData() throws Exception {
        BootMetadata metadata = new BootMetadata(APP, SERVICE, APP + ".i2kit.internal", List.of())
                .withLogs(BootMetadata.LogTarget.of(APP, SERVICE));
        ObjectNode root = (ObjectNode) JSON.readTree(metadata.toJson());
        ObjectNode aws = ((ObjectNode) root.at("/i2kit/entries")).putObject("aws").putObject("entries");
        aws.putObject("endpoint-logs").put("content", "http://" + HOST + ":" + MOTO.endpoint().getPort());
        return JSON.writeValueAsString(root);
    }

    /** What IMDS serves an instance of the role: credentials that expire in 10 minutes. */
    private static Map<String, byte[]> metadata(String instance, String expiration) throws Exception {
        String credentials = JSON.writeValueAsString(Map.of("Code", "Success", "Type", "AWS-HMAC",
                "AccessKeyId", "ASIAI2KITTESTROLE002", "SecretAccessKey", SECRET_KEY, "Token", SESSION_TOKEN,
                "Expiration", expiration, "LastUpdated", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        String identity = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("instanceId", instance,
                "region", MotoServer.REGION, "availabilityZone", MotoServer.REGION + "a", "accountId", "123456789012"));
        return Map.of(
                "/latest/meta-data/instance-id", instance.getBytes(StandardCharsets.UTF_8),
                "/latest/dynamic/instance-identity/document", identity.getBytes(StandardCharsets.UTF_8),
                "/latest/meta-data/iam/security-credentials/", ROLE.getBytes(StandardCharsets.UTF_8),
                "/latest/meta-data/iam/security-credentials/" + ROLE, credentials.getBytes(StandardCharsets.UTF_8));
    }
}
