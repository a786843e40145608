package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuildRecord;
import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.discovery.Discovery;
import io.i2kit.image.Compression;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageSources;
import io.i2kit.event.Progress;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.InstanceMetadataServer.Request;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Commands;
import io.i2kit.testing.QemuVm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the image i2kit uploads as an AMI the way EC2 would, and checks that it takes its metadata
 * from the user data through IMDSv2, the only way a launch template with {@code HttpTokens:
 * required} leaves.
 *
 * <p>Real: the example web service's raw-efi disk as i2kit's builder writes it, OVMF booting it
 * from an NVMe volume as Nitro presents EBS, i2kit's init, and the user data exactly as the
 * service's CloudFormation template carries it. Standing in for EC2: the SMBIOS system manufacturer
 * "Amazon EC2", which is how the init knows where it runs, and a test IMDSv2 server reached at
 * 169.254.169.254:80 through a QEMU guest forward. Two boots under TCG: one served, one refused
 * a token.
 */
class Ec2BootIT {
    private static final Duration BOOT = Duration.ofSeconds(Long.getLong("i2kit.it.boot", 180));
    private static final Path WEB = Path.of("examples/web");
    private static final String SERVICE = "web";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static BuiltImage kernelInitrd;
    static BuiltImage rawEfi;
    static String userData;
    static String instanceType;

    @BeforeAll
    static void buildAndRender() throws Exception {
        I2kitHome home = BootstrappedHome.get();
        Path environment = dir.resolve("aws.yml");
        Files.writeString(environment, "provider: aws\nregion: eu-west-1\n");
        Pipeline.Loaded aws = Pipeline.load(WEB, Optional.of(environment));
        Discovery discovery = Pipeline.validate(aws);
        Pipeline.Loaded local = Pipeline.load(WEB, Optional.empty());
        kernelInitrd = build(home, local, false);
        rawEfi = build(home, aws, true);

        RenderedTemplate stack = CloudFormationRenderer.render(discovery, aws.target()).stream()
                .filter(t -> t.fileName().equals("service-" + SERVICE + ".json")).findFirst().orElseThrow();
        JsonNode launch = JSON.readTree(stack.json()).at("/Resources/LaunchTemplate/Properties/LaunchTemplateData");
        assertThat(launch.at("/MetadataOptions/HttpTokens").asText()).as("the launch template turns IMDSv1 off")
                .isEqualTo("required");
        JsonNode encoded = launch.get("UserData");
        assertThat(encoded.size()).as("UserData is one Fn::Base64 of a string: %s", encoded).isEqualTo(1);
        assertThat(encoded.get("Fn::Base64").isTextual()).as("UserData is Fn::Base64 of a string: %s", encoded).isTrue();
        // CloudFormation encodes it, EC2 serves it decoded: the guest gets the string's bytes.
        userData = encoded.get("Fn::Base64").asText();
        instanceType = launch.get("InstanceType").asText();
    }

    private static BuiltImage build(I2kitHome home, Pipeline.Loaded loaded, boolean efi) {
        ImageSources sources = ImageSources.standard(home, loaded.manifest().directory(),
                RegistrySettings.fromEnvironment(Map.of()));
        ApplicationBuilder.Result result = new ApplicationBuilder(home, sources, Progress.NONE)
                .build(Pipeline.validate(loaded), LockFile.EMPTY,
                        new ApplicationBuilder.Options(Compression.GZIP, efi, Set.of(SERVICE)));
        return result.images().get(0);
    }

    @Test
    void theAmiDiskBootsAndTakesItsUserDataThroughImdsV2() throws Exception {
        assertThat(rawEfi.digest()).as("the image's identity excludes its packaging and its target")
                .isEqualTo(kernelInitrd.digest());
        Path disk = rawEfi.efi().orElseThrow();
        assertThat(bootedIdentity(disk, Files.createDirectories(dir.resolve("esp"))))
                .as("the kernel, initrd and command line the disk boots are the image built")
                .isEqualTo(kernelInitrd.digest());
        JsonNode expected = JSON.readTree(userData).at("/i2kit/entries");

        Path vm = Files.createDirectories(dir.resolve("vm-served"));
        try (InstanceMetadataServer imds = InstanceMetadataServer.start(userData.getBytes(StandardCharsets.UTF_8), true);
             QemuVm qemu = QemuVm.bootEfi(disk, 256, List.of(80), null, vm, QemuVm.Extras.ec2(instanceType, imds.port()))) {
            qemu.await("the web page of the VM booted as on EC2", BOOT,
                    () -> qemu.get(80, "/").filter(page -> page.contains("Served from a LinuxKit VM")));
            String console = qemu.console();
            assertThat(console).as("the firmware booted the root volume as Nitro presents it, on NVMe")
                    .containsPattern("BdsDxe: starting Boot[0-9A-F]{4} \"UEFI QEMU NVMe ");
            assertThat(console).contains("i2kit: metadata from imds ("
                    + userData.getBytes(StandardCharsets.UTF_8).length + " bytes)");
            assertThat(console).as("the init laid out the payload's entries")
                    .containsPattern(line("i2kit: metadata: service " + expected.at("/service/content").asText()
                            + " of application " + expected.at("/application/content").asText()));
            assertThat(console).as("the metadata's search domain is first in the VM's /etc/resolv.conf")
                    .containsPattern(Pattern.quote("i2kit: resolv.conf: search " + expected.at("/search/content").asText())
                            + "(\\s|$)");
            assertThat(expected.has("hosts")).as("AWS's user data leaves names to the private zone").isFalse();
            assertThat(console).doesNotContain("lines to /etc/hosts");

            List<Request> requests = imds.requests();
            // the first two read the user data; what follows is the boot's AWS preparation (its role's
            // credentials, for the log shipper the user data names), and every one of them is IMDSv2 too
            assertThat(requests).as("the metadata requests").hasSizeGreaterThanOrEqualTo(2)
                    .allSatisfy(r -> assertThat(r.method().equals("PUT") || r.token().isPresent())
                            .as("%s carries a session token", r).isTrue());
            Request token = requests.get(0);
            assertThat(token.method() + " " + token.path()).isEqualTo("PUT " + InstanceMetadataServer.TOKEN_PATH);
            assertThat(token.ttl()).hasValue("60");
            assertThat(token.status()).isEqualTo(200);
            Request get = requests.get(1);
            assertThat(get.method() + " " + get.path()).isEqualTo("GET " + InstanceMetadataServer.USER_DATA_PATH);
            assertThat(get.token()).as("the user data request carries the session token")
                    .isPresent().get().isIn(imds.tokens());
            assertThat(get.status()).isEqualTo(200);
        }
    }

    @Test
    void refusedATokenTheInitNeverFallsBackToImdsV1AndBootsOn() throws Exception {
        Path vm = Files.createDirectories(dir.resolve("vm-refused"));
        try (InstanceMetadataServer imds = InstanceMetadataServer.start(userData.getBytes(StandardCharsets.UTF_8), false);
             QemuVm qemu = QemuVm.bootEfi(rawEfi.efi().orElseThrow(), 256, List.of(), null, vm,
                     QemuVm.Extras.ec2(instanceType, imds.port()))) {
            // Not set on the command line, so "imds" in the list means the init saw EC2 in SMBIOS.
            assertThat(rawEfi.cmdline()).doesNotContain("i2kit.metadata=");
            qemu.await("the init giving up on metadata", BOOT, () -> Optional.of(qemu.console())
                    .filter(c -> c.contains("i2kit: no metadata found (tried fw_cfg cidata imds)")));
            qemu.await("the service started without metadata", BOOT, () -> Optional.of(qemu.console())
                    .filter(c -> c.contains("i2kit: started 1 services")));
            List<Request> requests = imds.requests();
            assertThat(requests).as("the metadata requests").isNotEmpty().allSatisfy(r -> {
                assertThat(r.method() + " " + r.path()).isEqualTo("PUT " + InstanceMetadataServer.TOKEN_PATH);
                assertThat(r.status()).isEqualTo(403);
            });
            assertThat(requests).as("no IMDSv1 request: nothing asked without a token")
                    .noneMatch(r -> r.token().isEmpty() && r.method().equals("GET"));
        }
    }

    /** {@code text} as a whole console line (the serial console ends lines with CR LF). */
    private static Pattern line(String text) {
        return Pattern.compile("(?m)^" + Pattern.quote(text) + "\r?$");
    }

    /** What the disk boots, read back from its EFI system partition (at 1 MiB) with mtools. */
    private static Digest bootedIdentity(Path disk, Path out) throws Exception {
        String partition = disk + "@@1M";
        Commands.run("env", "MTOOLS_SKIP_CHECK=1", "mcopy", "-n", "-i", partition, "::/i2kit/vmlinuz", "::/i2kit/initrd",
                out.toString());
        String entry = Commands.run("env", "MTOOLS_SKIP_CHECK=1", "mtype", "-i", partition,
                "::/loader/entries/i2kit.conf");
        String cmdline = entry.lines().filter(l -> l.startsWith("options ")).findFirst().orElseThrow()
                .substring("options ".length());
        return BuildRecord.imageDigest(Digest.of(Files.readAllBytes(out.resolve("vmlinuz"))),
                Digest.of(Files.readAllBytes(out.resolve("initrd"))), cmdline);
    }
}
