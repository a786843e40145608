package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.oci.Digest;
import io.i2kit.provider.aws.AwsContext;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.MotoServer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.ec2.Ec2Client;

/**
 * The raw-efi disk {@code i2kit build} makes of examples/web, published to moto as a user's
 * provider would: only the blocks holding the GPT, the FAT and the files are sent, and the
 * snapshot holds exactly the image's blocks. (moto does not check what RegisterImage is given;
 * see {@link AmiPublisherIT}.)
 */
class RawEfiAmiIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();
    private static final Pattern BUILT = Pattern.compile("web: (?:built|up to date) (sha256:[0-9a-f]{64})");

    @TempDir
    Path dir;

    @Test
    void theWebExamplesDiskBecomesAnAmiOfItsDataBlocks(AwsContext context, Ec2Client ec2) throws Exception {
        Path out = dir.resolve("out");
        Cli.Run build = Cli.run(BootstrappedHome.get().root(), "build", "-f", "examples/web", "--format", "raw-efi",
                "--out", out.toString()).assertSuccess();
        Matcher built = BUILT.matcher(build.out());
        assertThat(built.find()).as(build.out()).isTrue();
        Path image = out.resolve("web-efi.img");
        ImageBlocks blocks = BlockScanner.scan(image);
        AmiRequest request = new AmiRequest(image, Digest.parse(built.group(1)), "web", "web");

        PublishedAmi ami;
        try (AmiPublisher publisher = new AmiPublisher(context)) {
            ami = publisher.publish(request, new RecordingProgress());
        }

        UploadStatistics stats = ami.upload().orElseThrow();
        assertThat(stats.blocksTotal()).isEqualTo(2048);
        assertThat(stats.blocksSent()).isEqualTo(blocks.dataCount()).isBetween(2, 200);
        assertThat(stats.bytesSent()).isBetween(blocks.dataBytes(), blocks.dataBytes() + 1024);
        Map<Integer, Digest> stored = StoredBlocks.of(EbsDirectClient.create(context), ami.snapshotId());
        assertThat(stored).isEqualTo(fileBlocks(image, blocks));
        assertThat(stored).containsKeys(0, 2047);
        byte[] first = new byte[EbsDirectClient.BLOCK_SIZE];
        try (FileChannel channel = FileChannel.open(image)) {
            BlockScanner.read(channel, 0, first, image);
        }
        assertThat(new String(first, 512, 8, StandardCharsets.US_ASCII)).as("the GPT header").isEqualTo("EFI PART");
        assertThat(ec2.describeSnapshots(r -> r.snapshotIds(ami.snapshotId())).snapshots().get(0).volumeSize())
                .isEqualTo(1);

        try (AmiRemover remover = new AmiRemover(context)) {
            RemovedAmis removed = remover.remove("web", Set.of(), new RecordingProgress());
            assertThat(removed.imageIds()).containsExactly(ami.imageId());
            assertThat(removed.snapshotIds()).contains(ami.snapshotId());
        }
    }

    private static Map<Integer, Digest> fileBlocks(Path image, ImageBlocks blocks) throws Exception {
        Map<Integer, byte[]> bytes = new TreeMap<>();
        try (FileChannel channel = FileChannel.open(image)) {
            for (int index : blocks.data()) {
                byte[] block = new byte[EbsDirectClient.BLOCK_SIZE];
                BlockScanner.read(channel, index, block, image);
                bytes.put(index, block);
            }
        }
        return StoredBlocks.digests(bytes);
    }
}
