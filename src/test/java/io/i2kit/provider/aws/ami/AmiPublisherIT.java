package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import io.i2kit.provider.aws.AwsContext;
import io.i2kit.testing.MotoServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.BootModeValues;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.ImdsSupportValues;
import software.amazon.awssdk.services.ec2.model.RegisterImageRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Publishing and removing AMIs against moto server 5.1.1. What moto does not do, and how the
 * tests cope:
 * <ul>
 *   <li>RegisterImage keeps only the name and description (no architecture, boot mode, ENA, IMDS
 *       support, root device, block device mappings or TagSpecifications), so the request sent is
 *       checked as captured from the SDK, and the AMI's tags come from the CreateTags after it.</li>
 *   <li>An AMI's block device mapping names a snapshot moto made up, not the one registered.</li>
 *   <li>Snapshots are {@code completed} from the start (the EBS-level pending is not modelled), so
 *       the wait for completion returns at once.</li>
 *   <li>EBS checksums (per block and aggregate), ClientToken and Timeout are taken at face value;
 *       StartSnapshot's BlockSize says 512 rather than 524288 bytes; it also makes an EC2 volume
 *       that nothing deletes.</li>
 * </ul>
 * ListSnapshotBlocks and GetSnapshotBlock are implemented, so what was stored is checked.
 */
class AmiPublisherIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final int BLOCK = TestDisk.BLOCK;

    @TempDir
    static Path dir;
    private static AwsContext context;
    private static Ec2Client ec2;
    private static final List<SdkRequest> sent = new CopyOnWriteArrayList<>();
    private static final List<EbsDirectClient> ebsClients = new CopyOnWriteArrayList<>();
    private static AmiPublisher publisher;
    private static AmiRemover remover;

    @BeforeAll
    static void clients(AwsContext context, Ec2Client ec2) {
        AmiPublisherIT.context = context;
        AmiPublisherIT.ec2 = ec2;
        Ec2Client recording = context.client(Ec2Client.builder().overrideConfiguration(c -> c.addExecutionInterceptor(
                new ExecutionInterceptor() {
                    @Override
                    public void beforeExecution(Context.BeforeExecution execution, ExecutionAttributes attributes) {
                        sent.add(execution.request());
                    }
                })));
        Supplier<EbsDirectClient> counted = () -> {
            EbsDirectClient client = EbsDirectClient.create(context);
            ebsClients.add(client);
            return client;
        };
        publisher = new AmiPublisher(recording, counted, UploadSettings.DEFAULT);
        remover = new AmiRemover(context);
    }

    @AfterAll
    static void close() {
        publisher.close();
        remover.close();
    }

    @Test
    void uploadsOnlyTheDataBlocksRegistersAUefiAmiAndReusesItForTheSameDigest() throws Exception {
        Path image = dir.resolve("web.img");
        long size = (1L << 30) + 6L * BLOCK - 100;
        Map<Integer, byte[]> expected = TestDisk.write(image, size, 300_000, 11, 0, 1, 5, 2048, 2053);
        AmiRequest request = new AmiRequest(image, Digest.of("web".getBytes(StandardCharsets.UTF_8)), "shop", "web");
        RecordingProgress progress = new RecordingProgress();

        PublishedAmi ami = publisher.publish(request, progress);

        assertThat(ami.reused()).isFalse();
        UploadStatistics stats = ami.upload().orElseThrow();
        assertThat(stats.blocksTotal()).isEqualTo(2054);
        assertThat(stats.blocksSent()).isEqualTo(5);
        assertThat(stats.blocksSkipped()).isEqualTo(2049);
        assertThat(stats.apiCalls()).isEqualTo(1 + 5 + 1);
        assertThat(stats.bytesSent()).isBetween(5L * BLOCK, 5L * BLOCK + 1024);
        assertThat(storedBlocks(ami.snapshotId())).isEqualTo(StoredBlocks.digests(expected));
        assertThat(progress.finished).contains("[web] uploading web.img to EBS: uploaded 5 of 2054 blocks (2.5 MiB, "
                + "2049 zero blocks skipped)", "[web] AMI: registered " + ami.imageId() + " (" + request.imageName()
                + ") from " + ami.snapshotId());

        RegisterImageRequest register = sent.stream().filter(RegisterImageRequest.class::isInstance)
                .map(RegisterImageRequest.class::cast).reduce((a, b) -> b).orElseThrow();
        assertThat(register.name()).isEqualTo("i2kit-shop-web-" + request.digest().shortForm());
        assertThat(register.architecture()).isEqualTo(ArchitectureValues.X86_64);
        assertThat(register.bootMode()).isEqualTo(BootModeValues.UEFI);
        assertThat(register.enaSupport()).isTrue();
        assertThat(register.virtualizationType()).isEqualTo("hvm");
        assertThat(register.imdsSupport()).isEqualTo(ImdsSupportValues.V2_0);
        assertThat(register.rootDeviceName()).isEqualTo("/dev/xvda");
        assertThat(register.blockDeviceMappings()).hasSize(1);
        assertThat(register.blockDeviceMappings().get(0).deviceName()).isEqualTo("/dev/xvda");
        EbsBlockDevice root = register.blockDeviceMappings().get(0).ebs();
        assertThat(root.snapshotId()).isEqualTo(ami.snapshotId());
        assertThat(root.volumeType()).isEqualTo(VolumeType.GP3);
        assertThat(root.deleteOnTermination()).isTrue();
        assertThat(root.volumeSize()).isEqualTo(2);
        assertThat(register.tagSpecifications()).singleElement().satisfies(spec -> {
            assertThat(spec.resourceType()).isEqualTo(ResourceType.IMAGE);
            assertThat(tags(spec.tags())).isEqualTo(expectedTags(request));
        });

        Image registered = ec2.describeImages(r -> r.imageIds(ami.imageId())).images().get(0);
        assertThat(registered.name()).isEqualTo(request.imageName());
        assertThat(registered.state()).isEqualTo(ImageState.AVAILABLE);
        assertThat(tags(registered.tags())).isEqualTo(expectedTags(request));
        Snapshot snapshot = ec2.describeSnapshots(r -> r.snapshotIds(ami.snapshotId())).snapshots().get(0);
        assertThat(snapshot.volumeSize()).isEqualTo(2);
        assertThat(snapshot.description()).isEqualTo("i2kit shop/web " + request.digest());
        assertThat(tags(snapshot.tags())).isEqualTo(expectedTags(request));

        int clientsBefore = ebsClients.size();
        sent.clear();
        PublishedAmi again = publisher.publish(new AmiRequest(image, request.digest(), "shop", "web"), progress);

        assertThat(again.reused()).isTrue();
        assertThat(again.imageId()).isEqualTo(ami.imageId());
        assertThat(again.upload()).isEmpty();
        assertThat(ebsClients).hasSize(clientsBefore);
        assertThat(ebsClients.stream().mapToLong(EbsDirectClient::calls).sum()).isEqualTo(stats.apiCalls());
        assertThat(sent).noneMatch(RegisterImageRequest.class::isInstance);
        assertThat(progress.finished).contains("[web] AMI: reusing " + ami.imageId() + " (" + request.imageName() + ")");
    }

    @Test
    void aHalfMadeSnapshotIsNeverReusedAndTheRemoverCleansUpAllButWhatItKeeps() throws Exception {
        Digest apiDigest = Digest.of("api".getBytes(StandardCharsets.UTF_8));
        Path apiImage = dir.resolve("api.img");
        TestDisk.write(apiImage, 8L * BLOCK, 5000, 21, 0, 3);
        AmiRequest api = new AmiRequest(apiImage, apiDigest, "polls", "api");
        String orphan = halfMadeSnapshot(api);
        Path dbImage = dir.resolve("db.img");
        TestDisk.write(dbImage, 4L * BLOCK, 5000, 22, 1);
        AmiRequest db = new AmiRequest(dbImage, Digest.of("db".getBytes(StandardCharsets.UTF_8)), "polls", "db");
        Path otherImage = dir.resolve("other.img");
        TestDisk.write(otherImage, 4L * BLOCK, 5000, 23, 2);
        PublishedAmi other = publisher.publish(new AmiRequest(otherImage, apiDigest, "elsewhere", "api"), Progress.NONE);

        PublishedAmi apiAmi = publisher.publish(api, Progress.NONE);
        PublishedAmi dbAmi = publisher.publish(db, Progress.NONE);

        assertThat(apiAmi.reused()).isFalse();
        assertThat(apiAmi.snapshotId()).isNotEqualTo(orphan);
        assertThat(storedBlocks(apiAmi.snapshotId())).containsOnlyKeys(0, 3);

        RemovedAmis removed = remover.remove("polls", Set.of(dbAmi.imageId()), Progress.NONE);

        assertThat(removed.imageIds()).containsExactly(apiAmi.imageId());
        assertThat(removed.snapshotIds()).contains(orphan, apiAmi.snapshotId()).doesNotContain(dbAmi.snapshotId());
        assertThat(imagesOf("polls")).containsExactly(dbAmi.imageId());
        assertThat(snapshotsOf("polls")).containsExactly(dbAmi.snapshotId());

        RemovedAmis rest = remover.remove("polls", Set.of(), Progress.NONE);

        assertThat(rest.imageIds()).containsExactly(dbAmi.imageId());
        assertThat(rest.snapshotIds()).contains(dbAmi.snapshotId());
        assertThat(imagesOf("polls")).isEmpty();
        assertThat(snapshotsOf("polls")).isEmpty();
        assertThat(imagesOf("elsewhere")).containsExactly(other.imageId());
        assertThat(snapshotsOf("elsewhere")).containsExactly(other.snapshotId());
    }

    @Test
    void aFailedUploadDeletesItsSnapshotAndSaysWhy() throws Exception {
        Path image = dir.resolve("worker.img");
        TestDisk.write(image, 8L * BLOCK, 5000, 31, 0, 2, 3, 4);
        AmiRequest request = new AmiRequest(image, Digest.of("worker".getBytes(StandardCharsets.UTF_8)), "jobs",
                "worker");
        try (RefusingProxy proxy = new RefusingProxy(MOTO.endpoint(), 3);
             AmiPublisher refused = new AmiPublisher(context.client(Ec2Client.builder()),
                     () -> new EbsDirectClient(proxy.endpoint(), MotoServer.REGION, context.credentials(),
                             java.net.http.HttpClient.newHttpClient()), UploadSettings.DEFAULT)) {

            assertThatThrownBy(() -> refused.publish(request, Progress.NONE)).isInstanceOf(I2kitException.class)
                    .hasMessageMatching("cannot upload block 3 to snapshot snap-[0-9a-f]+: EBS at " + proxy.endpoint()
                            + " answered HTTP 400 \\(ValidationException: The checksum is invalid, reason "
                            + "INVALID_CHECKSUM\\); hint: EBS refused the request itself, .*")
                    .hasMessageNotContaining("testing");
        }
        assertThat(snapshotsOf("jobs")).isEmpty();
        assertThat(imagesOf("jobs")).isEmpty();
    }

    /** What a publish that died during its upload leaves: a started, tagged snapshot with some blocks. */
    private static String halfMadeSnapshot(AmiRequest request) {
        EbsDirectClient ebs = EbsDirectClient.create(context);
        String id = ebs.startSnapshot(1, AmiTags.of(request), request.description(), "crashed",
                SnapshotUploader.SNAPSHOT_TIMEOUT).id();
        byte[] block = new byte[BLOCK];
        block[0] = 1;
        ebs.putSnapshotBlock(id, 0, block, java.util.Base64.getEncoder().encodeToString(Digest.sha256().digest(block)));
        return id;
    }

    private static Map<Integer, Digest> storedBlocks(String snapshotId) {
        return StoredBlocks.of(EbsDirectClient.create(context), snapshotId);
    }

    private static List<String> imagesOf(String application) {
        return ec2.describeImages(r -> r.owners("self").filters(AmiTags.filter(AmiTags.APPLICATION, application)))
                .images().stream().map(Image::imageId).toList();
    }

    private static List<String> snapshotsOf(String application) {
        return ec2.describeSnapshots(r -> r.ownerIds("self").filters(AmiTags.filter(AmiTags.APPLICATION, application)))
                .snapshots().stream().map(Snapshot::snapshotId).toList();
    }

    private static Map<String, String> tags(List<Tag> tags) {
        Map<String, String> map = new TreeMap<>();
        tags.forEach(t -> map.put(t.key(), t.value()));
        return map;
    }

    private static Map<String, String> expectedTags(AmiRequest request) {
        return new TreeMap<>(Map.of("i2kit:application", request.application(), "i2kit:service", request.service(),
                "i2kit:image-digest", "sha256:" + request.digest().hex()));
    }
}
