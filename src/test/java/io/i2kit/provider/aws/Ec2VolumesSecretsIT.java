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
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeAttachment;

/**
 * A VM booted as an EC2 instance does its AWS work at boot itself, with its role's credentials:
 * it attaches its EBS volume through the EC2 API and finds the disk presented with that volume's
 * serial (formatted on the first boot, its data kept on the second), reads its secret from SSM
 * Parameter Store, and then no container can reach the instance metadata service (where the role's
 * credentials are). The service's container mounts the volume at /data (what it writes there on
 * the first boot it reads on the second) and reads the secret as /run/secrets/NAME and as its
 * variable.
 *
 * <p>Real: the image's raw-efi disk booted by OVMF from NVMe, i2kit's init with its SigV4 signer,
 * moto's EC2 and SSM (the API the VM calls, reached through QEMU's user network at the host's
 * address), the volume's disk as Nitro presents it (an NVMe controller whose serial is the volume
 * id without its dash). Standing in: SMBIOS "Amazon EC2" and the IMDSv2 server of
 * {@link InstanceMetadataServer}, which here also serves the instance id, the identity document
 * and the role's temporary credentials (moto accepts any). moto does not check signatures: the
 * signer is checked against AWS's test suite and the SDK in SigV4SignerIT.
 *
 * <p>Two boots of two instances with the same volume disk, as an auto scaling group's replacement
 * after a failure: each attaches the volume to itself.
 */
class Ec2VolumesSecretsIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final Duration BOOT = Duration.ofSeconds(Long.getLong("i2kit.it.boot", 240));
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String APP = "vault";
    private static final String SERVICE = "db";
    private static final String SECRET = "db-password";
    private static final String ROLE = "i2kit-vault-db";
    private static final String KEY_ID = "ASIAI2KITTESTROLE001";
    private static final String SECRET_KEY = "role/secret+key0123456789abcdefghijklmno";
    private static final String SESSION_TOKEN = "IQoJb3JpZ2luX2VjEI2KIT//////////test+session/token==";
    /** The host as QEMU's user network shows it when the network is 169.254.0.0/16 (Extras.ec2). */
    private static final String HOST = "169.254.2.2";
    private static final Pattern SECRET_HASH = Pattern.compile("\\[[^]]*] secret-sha256 ([0-9a-f]{64})");
    private static final Pattern ENV_HASH = Pattern.compile("\\[[^]]*] env-sha256 ([0-9a-f]{64})");
    private static final Pattern DATA_FOUND = Pattern.compile("\\[[^]]*] data: (found [0-9a-f-]{36}|no marker)");
    private static final Pattern DATA_WROTE = Pattern.compile("\\[[^]]*] data: wrote ([0-9a-f-]{36})");

    @TempDir
    static Path dir;
    static BuiltImage image;
    static String value;

    @BeforeAll
    static void build() throws Exception {
        I2kitHome home = BootstrappedHome.get();
        Path app = Files.createDirectories(dir.resolve("app"));
        // The probe prints the secret's hashes (file and environment; never the value), what it found on
        // the volume (then leaves its own marker there for the next boot), and what IMDS did for it.
        String probe = "echo secret-sha256 $(sha256sum /run/secrets/" + SECRET + " | cut -d' ' -f1);"
                + " echo env-sha256 $(printf %s \"$DB_PASSWORD\" | sha256sum | cut -d' ' -f1);"
                + " if [ -f /data/marker ]; then echo \"data: found $(cat /data/marker)\"; else echo 'data: no marker'; fi;"
                + " mark=$(cat /proc/sys/kernel/random/uuid); echo \"$mark\" >/data/marker && sync && echo \"data: wrote $mark\";"
                + " if answer=$(printf 'PUT /latest/api/token HTTP/1.0\\r\\nX-aws-ec2-metadata-token-ttl-seconds: 60\\r\\n\\r\\n'"
                + " | nc -w 3 169.254.169.254 80 2>&1); then echo \"imds: answered: $answer\";"
                + " else echo \"imds: refused: $answer\"; fi; exec sleep 3600";
        Files.writeString(app.resolve("i2kit.yml"), """
                name: %s
                services:
                  %s:
                    replicas: 1
                    volumes: {data: {size: 64MiB}}
                    containers:
                      probe:
                        image: oci:%s:latest
                        command: ["/bin/sh", "-c", %s]
                        mounts: ["data:/data"]
                        secrets: {DB_PASSWORD: %s}
                """.formatted(APP, SERVICE, BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci"), JSON.writeValueAsString(probe), SECRET));
        Path environment = Files.writeString(dir.resolve("aws.yml"), "provider: aws\nregion: " + MotoServer.REGION + "\n");
        Pipeline.Loaded loaded = Pipeline.load(app, Optional.of(environment));
        ImageSources sources = ImageSources.standard(home, loaded.manifest().directory(),
                RegistrySettings.fromEnvironment(Map.of()));
        image = new ApplicationBuilder(home, sources, Progress.NONE)
                .build(Pipeline.validate(loaded), LockFile.EMPTY, new ApplicationBuilder.Options(Compression.GZIP, true, Set.of(SERVICE)))
                .images().get(0);
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        value = "marker-" + HexFormat.of().formatHex(random);
    }

    @Test
    void attachesItsVolumeReadsItsSecretAndClosesImdsToContainers(Ec2Client ec2) throws Exception {
        String volume = ec2.createVolume(r -> r.availabilityZone(MotoServer.REGION + "a").size(1).volumeType("gp3")
                .encrypted(true)).volumeId();
        ssm("PutParameter", Map.of("Name", "/i2kit/" + APP + "/" + SECRET, "Value", "an older value",
                "Type", "SecureString"));
        ssm("PutParameter", Map.of("Name", "/i2kit/" + APP + "/" + SECRET, "Value", value, "Type", "SecureString",
                "Overwrite", true));
        Path disk = dir.resolve("volume.img");
        try (RandomAccessFile file = new RandomAccessFile(disk.toFile(), "rw")) {
            file.setLength(64L << 20);
        }
        String serial = volume.replace("-", "");
        String userData = userData(volume, 2);
        String marker = null; // what the probe left on the volume at the previous boot

        for (int b = 1; b <= 2; b++) {
            int boot = b;
            String imageId = ec2.describeImages().images().get(0).imageId();
            String instance = ec2.runInstances(r -> r.imageId(imageId).minCount(1).maxCount(1)
                    .placement(p -> p.availabilityZone(MotoServer.REGION + "a"))).instances().get(0).instanceId();
            Path vm = Files.createDirectories(dir.resolve("vm-" + boot));
            String console;
            List<Request> requests;
            try (InstanceMetadataServer imds = InstanceMetadataServer.start(userData.getBytes(StandardCharsets.UTF_8),
                    metadata(instance), true);
                 QemuVm qemu = QemuVm.bootEfi(image.efi().orElseThrow(), 256, List.of(), null, vm, ec2Extras(imds, disk, serial))) {
                qemu.await("the probe's IMDS attempt and the boot's end", BOOT, () -> Optional.of(qemu.console())
                        .filter(c -> c.contains("imds: ") && c.contains("i2kit: started 1 services")));
                console = qemu.console();
                // for the record (bench/ measures; nothing here asserts a time)
                console.lines().filter(l -> l.contains("i2kit: aws: boot preparation done")
                        || l.contains("i2kit: volume ") || l.contains("i2kit: started ")).forEach(l -> System.out.println("boot " + boot + ": " + l.strip()));
                requests = imds.requests();
            }
            assertThat(console).as("boot %d", boot)
                    .contains("i2kit: aws: instance " + instance + " in " + MotoServer.REGION + ", role " + ROLE)
                    .contains("i2kit: aws: attached " + volume + " as /dev/sdf")
                    .containsPattern("i2kit: aws: " + volume + " is /dev/nvme[0-9]+n1")
                    .contains("i2kit: aws: read secret " + SECRET + " (version 2)")
                    .contains("i2kit: aws: instance metadata service blocked for every process")
                    // mount_volumes finds the attached disk by its serial: a new one formatted, then kept
                    .containsPattern("i2kit: volume data: " + (boot == 1 ? "formatted 64 MiB" : "mounted \\(existing data\\)")
                            + " on nvme[0-9]+n1");
            Volume described = ec2.describeVolumes(r -> r.volumeIds(volume)).volumes().get(0);
            assertThat(described.attachments()).as("moto: the volume is attached to the instance of boot %d", boot)
                    .extracting(VolumeAttachment::instanceId).containsExactly(instance);
            assertThat(described.attachments().get(0).device()).isEqualTo("/dev/sdf");

            Matcher hash = SECRET_HASH.matcher(console);
            assertThat(hash.find()).as("the probe printed the secret's hash: %s", console).isTrue();
            assertThat(hash.group(1)).as("the container read the secret's current version").isEqualTo(sha256(value));
            Matcher env = ENV_HASH.matcher(console);
            assertThat(env.find()).as("the probe printed its variable's hash: %s", console).isTrue();
            assertThat(env.group(1)).as("DB_PASSWORD holds the secret's current version").isEqualTo(sha256(value));

            // the container's /data is the volume: empty at first, the previous instance's marker then
            Matcher found = DATA_FOUND.matcher(console);
            assertThat(found.find()).as("the probe looked at /data: %s", console).isTrue();
            assertThat(found.group(1)).as("boot %d: what /data held", boot)
                    .isEqualTo(marker == null ? "no marker" : "found " + marker);
            Matcher wrote = DATA_WROTE.matcher(console);
            assertThat(wrote.find()).as("the probe wrote its marker to /data: %s", console).isTrue();
            marker = wrote.group(1);

            assertThat(console).as("the probe could not reach IMDS").containsPattern("imds: refused: .*Permission denied")
                    .doesNotContain("imds: answered");
            assertThat(requests).as("IMDS saw only the init: a token for the user data, one for its AWS work")
                    .filteredOn(r -> r.method().equals("PUT")).hasSize(2);
            assertThat(requests).extracting(Request::path).contains("/latest/meta-data/iam/security-credentials/" + ROLE);
            assertThat(console).as("no value or credential on the console")
                    .doesNotContain(value, SECRET_KEY, SESSION_TOKEN, "an older value");

            // the instance is terminated, as the group's replacement follows a failure: the volume detaches
            ec2.terminateInstances(r -> r.instanceIds(instance));
            if (!ec2.describeVolumes(r -> r.volumeIds(volume)).volumes().get(0).attachments().isEmpty()) {
                ec2.detachVolume(r -> r.volumeId(volume));
            }
        }
    }

    /** BootMetadata as the launch template carries it, plus the test-only endpoints (moto on the host). */
    private static String userData(String volume, long secretVersion) throws Exception {
        BootMetadata metadata = new BootMetadata(APP, SERVICE, APP + ".i2kit.internal", List.of())
                .withVolumes(List.of(new BootMetadata.VolumeDisk("data", volume)))
                .withSecrets(List.of(new BootMetadata.SecretVersion(SECRET, secretVersion)));
        ObjectNode root = (ObjectNode) JSON.readTree(metadata.toJson());
        String endpoint = "http://" + HOST + ":" + MOTO.endpoint().getPort();
        ObjectNode aws = ((ObjectNode) root.at("/i2kit/entries")).putObject("aws").putObject("entries");
        aws.putObject("endpoint-ec2").put("content", endpoint);
        aws.putObject("endpoint-ssm").put("content", endpoint);
        return JSON.writeValueAsString(root);
    }

    /** What IMDS serves an instance of the role, besides tokens and user data. */
    private static Map<String, byte[]> metadata(String instance) throws Exception {
        String credentials = JSON.writeValueAsString(Map.of("Code", "Success", "Type", "AWS-HMAC",
                "AccessKeyId", KEY_ID, "SecretAccessKey", SECRET_KEY, "Token", SESSION_TOKEN,
                "Expiration", "2099-01-01T00:00:00Z", "LastUpdated", "2026-01-01T00:00:00Z"));
        String identity = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(Map.of("instanceId", instance,
                "region", MotoServer.REGION, "availabilityZone", MotoServer.REGION + "a", "accountId", "123456789012"));
        return Map.of(
                "/latest/meta-data/instance-id", instance.getBytes(StandardCharsets.UTF_8),
                "/latest/dynamic/instance-identity/document", identity.getBytes(StandardCharsets.UTF_8),
                "/latest/meta-data/iam/security-credentials/", ROLE.getBytes(StandardCharsets.UTF_8),
                "/latest/meta-data/iam/security-credentials/" + ROLE, credentials.getBytes(StandardCharsets.UTF_8));
    }

    /** Extras.ec2 with the volume's disk on its own NVMe controller, serial the id without '-', as Nitro does. */
    private static QemuVm.Extras ec2Extras(InstanceMetadataServer imds, Path disk, String serial) {
        QemuVm.Extras ec2 = QemuVm.Extras.ec2("t3.small", imds.port());
        List<String> arguments = new ArrayList<>(ec2.arguments());
        arguments.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=none,id=data0",
                "-device", "nvme,drive=data0,serial=" + serial));
        return new QemuVm.Extras(ec2.nicOptions(), arguments, ec2.nvme());
    }

    /** One SSM call to moto, signed by the SDK's signer (i2kit has no SSM client of its own here). */
    private static void ssm(String action, Map<String, Object> body) throws Exception {
        String json = JSON.writeValueAsString(body);
        URI uri = MOTO.endpoint().resolve("/");
        SignedRequest signed = AwsV4HttpSigner.create().sign(r -> r
                .identity(AwsCredentialsIdentity.create(MotoServer.CREDENTIAL, MotoServer.CREDENTIAL))
                .request(SdkHttpRequest.builder().method(SdkHttpMethod.POST).uri(uri)
                        .putHeader("Content-Type", "application/x-amz-json-1.1")
                        .putHeader("X-Amz-Target", "AmazonSSM." + action).build())
                .payload(ContentStreamProvider.fromUtf8String(json))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ssm")
                .putProperty(AwsV4HttpSigner.REGION_NAME, MotoServer.REGION));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).POST(HttpRequest.BodyPublishers.ofString(json));
        signed.request().forEachHeader((name, values) -> {
            if (!name.equalsIgnoreCase("Host")) {
                values.forEach(v -> request.header(name, v));
            }
        });
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("moto's SSM %s: %s", action, response.body()).isEqualTo(200);
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
