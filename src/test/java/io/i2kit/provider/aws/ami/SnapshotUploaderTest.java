package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The uploader against a scripted EBS stand-in: what is sent, what is retried, what fails at once. */
class SnapshotUploaderTest {
    private static final int BLOCK = TestDisk.BLOCK;
    private static final RetryPolicy FAST = new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(10));
    private static final Map<String, String> TAGS = Map.of("i2kit:application", "shop");

    @TempDir
    Path dir;
    private FakeEbs ebs;

    @BeforeEach
    void start() throws Exception {
        ebs = new FakeEbs();
    }

    @AfterEach
    void stop() {
        ebs.close();
    }

    private SnapshotUploader uploader(int concurrency) {
        return new SnapshotUploader(ebs.client(), new UploadSettings(concurrency, FAST));
    }

    @Test
    void sendsOnlyTheBlocksHoldingDataWithTheirChecksums() throws Exception {
        Path image = dir.resolve("disk.img");
        long size = 40L * BLOCK + 4096;
        Map<Integer, byte[]> expected = TestDisk.write(image, size, 100_000, 1, 0, 1, 7, 39, 40);
        RecordingProgress progress = new RecordingProgress();

        SnapshotUploader.Uploaded uploaded = uploader(4).upload(image, TAGS, "a disk", "upload", progress);

        assertThat(ebs.blocks.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        expected.forEach((index, bytes) -> assertThat(ebs.blocks.get(index)).as("block %d", index).isEqualTo(bytes));
        for (FakeEbs.Received put : ebs.requests("PUT", "/snapshots/" + FakeEbs.SNAPSHOT + "/blocks/")) {
            assertThat(put.header("x-amz-Data-Length")).isEqualTo(Integer.toString(BLOCK));
            assertThat(put.header("x-amz-Checksum-Algorithm")).isEqualTo("SHA256");
            assertThat(put.header("x-amz-Checksum")).isEqualTo(base64Sha256(put.body()));
            assertThat(put.header("Authorization"))
                    .contains("Credential=" + FakeEbs.ACCESS_KEY + "/").contains("/eu-west-1/ebs/aws4_request");
        }
        FakeEbs.Received start = ebs.requests("POST", "/snapshots").get(0);
        assertThat(start.json().path("VolumeSize").asLong()).isEqualTo(1);
        assertThat(start.json().path("Timeout").asLong()).isEqualTo(60);
        assertThat(start.json().path("ClientToken").asText()).isNotEmpty();
        assertThat(start.json().path("Tags").get(0).path("Key").asText()).isEqualTo("i2kit:application");
        FakeEbs.Received complete = ebs.requests("POST", "/snapshots/completion/" + FakeEbs.SNAPSHOT).get(0);
        assertThat(complete.header("x-amz-ChangedBlocksCount")).isEqualTo("5");
        assertThat(complete.header("x-amz-Checksum-Aggregation-Method")).isEqualTo("LINEAR");
        assertThat(complete.header("x-amz-Checksum")).isEqualTo(linearAggregate(expected));

        UploadStatistics stats = uploaded.statistics();
        assertThat(uploaded.snapshotId()).isEqualTo(FakeEbs.SNAPSHOT);
        assertThat(uploaded.volumeGib()).isEqualTo(1);
        assertThat(stats.blocksTotal()).isEqualTo(41);
        assertThat(stats.blocksSent()).isEqualTo(5);
        assertThat(stats.blocksSkipped()).isEqualTo(36);
        assertThat(stats.apiCalls()).isEqualTo(7);
        assertThat(stats.retries()).isZero();
        assertThat(stats.bytesSent()).isBetween(5L * BLOCK, 5L * BLOCK + 1024);
        assertThat(progress.totals).containsEntry("upload", 5L * BLOCK);
        assertThat(progress.done.get("upload")).hasValue(5L * BLOCK);
        assertThat(progress.finished).containsExactly("upload: uploaded 5 of 41 blocks (2.5 MiB, 36 zero blocks skipped)");
    }

    @Test
    void retriesThrottlingServerErrorsAndBrokenConnectionsThenCompletes() throws Exception {
        Path image = dir.resolve("disk.img");
        Map<Integer, byte[]> expected = TestDisk.write(image, 8L * BLOCK, BLOCK, 2, 1, 2, 3, 5);
        ebs.fail("START", new FakeEbs.Failure(500, "InternalServerException", "{\"message\":\"try again\"}"))
                .fail("PUT 1", new FakeEbs.Failure(503, "", ""), new FakeEbs.Failure(503, "", ""))
                .fail("PUT 2", new FakeEbs.Failure(400, "RequestThrottledException:http://internal", "{}"))
                .fail("PUT 3", new FakeEbs.Failure(429, "", "{\"__type\":\"ThrottlingException\"}"))
                .fail("PUT 5", new FakeEbs.Failure(0, "", ""))
                .fail("COMPLETE", new FakeEbs.Failure(502, "", "<html>bad gateway</html>"));

        UploadStatistics stats = uploader(3).upload(image, TAGS, "a disk", "upload", Progress.NONE).statistics();

        assertThat(ebs.blocks.keySet()).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(ebs.requests("PUT", "/snapshots/")).hasSize(4 + 5);
        assertThat(stats.retries()).isEqualTo(7);
        assertThat(stats.apiCalls()).isEqualTo(2 + 9 + 2);
        assertThat(stats.blocksSent()).isEqualTo(4);
        assertThat(stats.bytesSent()).isGreaterThanOrEqualTo(9L * BLOCK);
        assertThat(ebs.requests("POST", "/snapshots/completion/")).hasSize(2);
    }

    @Test
    void aRefusedBlockIsNotRetriedAndStopsTheUpload() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, 10L * BLOCK, 1000, 3, 0, 1, 2, 3, 4, 5);
        ebs.fail("PUT 2", new FakeEbs.Failure(400, "ValidationException",
                "{\"message\":\"The checksum does not match\",\"Reason\":\"INVALID_CHECKSUM\"}"));

        assertThatThrownBy(() -> uploader(1).upload(image, TAGS, "a disk", "upload", Progress.NONE))
                .isInstanceOfSatisfying(IncompleteSnapshotException.class,
                        e -> assertThat(e.snapshotId()).isEqualTo(FakeEbs.SNAPSHOT))
                .hasMessageStartingWith("cannot upload block 2 to snapshot " + FakeEbs.SNAPSHOT + ": EBS at http://127.0.0.1:")
                .hasMessageContaining("answered HTTP 400 (ValidationException: The checksum does not match, "
                        + "reason INVALID_CHECKSUM); hint: EBS refused the request itself, so retrying will not help")
                .hasMessageNotContaining(FakeEbs.SECRET_KEY)
                .hasMessageNotContaining("Signature");
        assertThat(ebs.requests("PUT", "/snapshots/" + FakeEbs.SNAPSHOT + "/blocks/2")).hasSize(1);
        assertThat(ebs.blocks.keySet()).containsExactlyInAnyOrder(0, 1);
        assertThat(ebs.requests("POST", "/snapshots/completion/")).isEmpty();
    }

    @Test
    void aBlockThatKeepsFailingGivesUpAfterTheLastAttempt() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, 4L * BLOCK, 1000, 4, 0, 1, 2, 3);
        FakeEbs.Failure unavailable = new FakeEbs.Failure(503, "ServiceUnavailableException", "{\"message\":\"slow down\"}");
        ebs.fail("PUT 3", unavailable, unavailable, unavailable, unavailable, unavailable);

        assertThatThrownBy(() -> uploader(2).upload(image, TAGS, "a disk", "upload", Progress.NONE))
                .isInstanceOf(IncompleteSnapshotException.class)
                .hasMessage("cannot upload block 3 to snapshot " + FakeEbs.SNAPSHOT + ": EBS at " + ebs.client().endpoint()
                        + " answered HTTP 503 (ServiceUnavailableException: slow down) (gave up after 4 attempts); hint: "
                        + "AWS is throttling or failing for now; try again later, or upload with less concurrency");
        assertThat(ebs.requests("PUT", "/snapshots/" + FakeEbs.SNAPSHOT + "/blocks/3")).hasSize(4);
    }

    @Test
    void aRefusedStartSaysWhatToCheck() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, 2L * BLOCK, 1000, 5, 0);
        ebs.fail("START", new FakeEbs.Failure(403, "AccessDeniedException", "{\"Message\":\"User is not authorized\"}"));

        assertThatThrownBy(() -> uploader(2).upload(image, TAGS, "a disk", "upload", Progress.NONE))
                .isNotInstanceOf(IncompleteSnapshotException.class)
                .hasMessageStartingWith("cannot start an EBS snapshot of 1 GiB: EBS at ")
                .hasMessageContaining("answered HTTP 403 (AccessDeniedException: User is not authorized); hint: check "
                        + "the AWS credentials and that they allow ebs:StartSnapshot");
        assertThat(ebs.requests("POST", "/snapshots")).hasSize(1);
    }

    @Test
    void anImageOfZerosMakesAnEmptySnapshot() throws Exception {
        Path image = dir.resolve("disk.img");
        TestDisk.write(image, (1L << 30) + 1, 0, 0);

        UploadStatistics stats = uploader(8).upload(image, TAGS, "a disk", "upload", Progress.NONE).statistics();

        assertThat(stats.blocksSent()).isZero();
        assertThat(stats.blocksTotal()).isEqualTo(2049);
        assertThat(ebs.requests("POST", "/snapshots").get(0).json().path("VolumeSize").asLong()).isEqualTo(2);
        FakeEbs.Received complete = ebs.requests("POST", "/snapshots/completion/").get(0);
        assertThat(complete.header("x-amz-ChangedBlocksCount")).isEqualTo("0");
        assertThat(complete.header("x-amz-Checksum")).isNull();
    }

    private static String base64Sha256(byte[] bytes) {
        return Base64.getEncoder().encodeToString(Digest.sha256().digest(bytes));
    }

    private static String linearAggregate(Map<Integer, byte[]> blocksInOrder) {
        var sha = Digest.sha256();
        List.copyOf(blocksInOrder.values()).forEach(b -> sha.update(Digest.sha256().digest(b)));
        return Base64.getEncoder().encodeToString(sha.digest());
    }
}
