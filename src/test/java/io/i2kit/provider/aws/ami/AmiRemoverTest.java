package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;
import software.amazon.awssdk.services.ec2.model.Tag;

/** Which snapshots the remover counts as left over, without AWS. */
class AmiRemoverTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");

    private static Snapshot snapshot(String id, SnapshotState state, Duration age, String digest) {
        return Snapshot.builder().snapshotId(id).state(state).startTime(NOW.minus(age))
                .tags(Tag.builder().key(AmiTags.IMAGE_DIGEST).value(digest).build()).build();
    }

    @Test
    void anUnusedCompletedOrFailedSnapshotIsLeftOver() {
        assertThat(AmiRemover.abandoned(snapshot("snap-1", SnapshotState.COMPLETED, Duration.ofMinutes(1), "d1"),
                Set.of(), Set.of(), NOW)).isTrue();
        assertThat(AmiRemover.abandoned(snapshot("snap-1", SnapshotState.ERROR, Duration.ofMinutes(1), "d1"),
                Set.of(), Set.of(), NOW)).isTrue();
    }

    @Test
    void aPendingSnapshotIsLeftToAPublishThatMayStillWriteItUntilEbsWouldHaveFailedIt() {
        assertThat(AmiRemover.abandoned(snapshot("snap-1", SnapshotState.PENDING, Duration.ofMinutes(59), "d1"),
                Set.of(), Set.of(), NOW)).isFalse();
        assertThat(AmiRemover.abandoned(snapshot("snap-1", SnapshotState.PENDING, Duration.ofMinutes(61), "d1"),
                Set.of(), Set.of(), NOW)).isTrue();
    }

    @Test
    void aSnapshotOfAKeptAmiOrOfItsDigestIsKept() {
        Snapshot s = snapshot("snap-1", SnapshotState.COMPLETED, Duration.ofDays(3), "d1");
        assertThat(AmiRemover.abandoned(s, Set.of("snap-1"), Set.of(), NOW)).isFalse();
        assertThat(AmiRemover.abandoned(s, Set.of(), Set.of("d1"), NOW)).isFalse();
        assertThat(AmiRemover.abandoned(s, Set.of("snap-2"), Set.of("d2"), NOW)).isTrue();
    }

    @Test
    void aSnapshotOfADataVolumeIsNeverAnImagesLeftover() {
        Snapshot s = snapshot("snap-1", SnapshotState.COMPLETED, Duration.ofDays(3), "d1");
        Snapshot data = s.toBuilder().tags(java.util.stream.Stream.concat(s.tags().stream(),
                java.util.stream.Stream.of(software.amazon.awssdk.services.ec2.model.Tag.builder()
                        .key("i2kit:volume").value("data").build())).toList()).build();
        assertThat(AmiRemover.abandoned(s, Set.of(), Set.of(), NOW)).isTrue();
        assertThat(AmiRemover.abandoned(data, Set.of(), Set.of(), NOW)).isFalse();
    }

    @Test
    void anAmisSnapshotsAreThoseOfItsEbsMappings() {
        Image image = Image.builder().imageId("ami-1").rootDeviceName("/dev/xvda").blockDeviceMappings(
                BlockDeviceMapping.builder().deviceName("/dev/xvda").ebs(EbsBlockDevice.builder().snapshotId("snap-1")
                        .build()).build(),
                BlockDeviceMapping.builder().deviceName("/dev/sdb").virtualName("ephemeral0").build(),
                BlockDeviceMapping.builder().deviceName("/dev/xvdb").ebs(EbsBlockDevice.builder().snapshotId("snap-2")
                        .build()).build()).build();
        assertThat(AmiRemover.snapshotsOf(image)).containsExactly("snap-1", "snap-2");
        assertThat(AmiPublisher.rootSnapshot(image)).isEqualTo("snap-1");
    }
}
