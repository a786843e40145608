package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;
import io.i2kit.event.Progress;
import io.i2kit.provider.Waiter;
import io.i2kit.provider.Waiter.Outcome;
import io.i2kit.provider.aws.AwsContext;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.SnapshotState;

/**
 * Removes the AMIs i2kit made for an application (all, or all but some to keep): deregisters them
 * and deletes their snapshots, then deletes the application's i2kit-tagged snapshots that no AMI
 * uses, which a publish that died half-way leaves behind.
 */
public final class AmiRemover implements AutoCloseable {
    // Deregistration reaches the snapshots' side of EC2 within seconds; more means another AMI uses it.
    private static final Duration IN_USE_WAIT = Duration.ofMinutes(2);

    private final Ec2Client ec2;
    private final Clock clock;

    public AmiRemover(AwsContext context) {
        this(context.client(Ec2Client.builder()), Clock.systemUTC());
    }

    AmiRemover(Ec2Client ec2, Clock clock) {
        this.ec2 = ec2;
        this.clock = clock;
    }

    /**
     * Removes every AMI tagged {@code i2kit:application=application} and owned by this account,
     * except those in {@code keepImageIds}, their snapshots, and the application's orphan snapshots.
     */
    public RemovedAmis remove(String application, Set<String> keepImageIds, Progress progress) {
        List<Image> images = Ec2Caller.call("list the AMIs of application " + application,
                () -> ec2.describeImages(r -> r.owners("self")
                        .filters(AmiTags.filter(AmiTags.APPLICATION, application))).images());
        List<Image> kept = images.stream().filter(i -> keepImageIds.contains(i.imageId())).toList();
        List<String> removedImages = new ArrayList<>();
        List<String> removedSnapshots = new ArrayList<>();
        for (Image image : images) {
            if (keepImageIds.contains(image.imageId())) {
                continue;
            }
            Ec2Caller.call("deregister AMI " + image.imageId() + " of application " + application,
                    () -> ec2.deregisterImage(r -> r.imageId(image.imageId())));
            removedImages.add(image.imageId());
            for (String snapshotId : snapshotsOf(image)) {
                if (delete(snapshotId, true)) {
                    removedSnapshots.add(snapshotId);
                }
            }
        }
        Set<String> used = kept.stream().flatMap(i -> snapshotsOf(i).stream()).collect(Collectors.toSet());
        Set<String> keptDigests = kept.stream().map(i -> AmiTags.value(i.tags(), AmiTags.IMAGE_DIGEST))
                .flatMap(Optional::stream).collect(Collectors.toSet());
        Instant now = clock.instant();
        for (Snapshot snapshot : snapshots(application)) {
            if (!removedSnapshots.contains(snapshot.snapshotId()) && abandoned(snapshot, used, keptDigests, now)
                    && delete(snapshot.snapshotId(), false)) {
                removedSnapshots.add(snapshot.snapshotId());
            }
        }
        progress.finish("[" + application + "] removing AMIs", "deregistered " + removedImages.size() + " AMIs, "
                + "deleted " + removedSnapshots.size() + " snapshots");
        return new RemovedAmis(removedImages, removedSnapshots);
    }

    private List<Snapshot> snapshots(String application) {
        return Ec2Caller.call("list the snapshots of application " + application,
                () -> ec2.describeSnapshotsPaginator(r -> r.ownerIds("self")
                        .filters(AmiTags.filter(AmiTags.APPLICATION, application))).snapshots().stream().toList());
    }

    /**
     * Whether an i2kit snapshot is left over: no kept AMI uses it, and no publish may still be
     * writing it (EBS fails a pending snapshot after StartSnapshot's timeout of inactivity). One
     * tagged with a kept AMI's digest is left too: it may be that AMI's own (emulators such as moto
     * 5.1.1 do not report an AMI's real snapshot), and AWS would refuse to delete it anyway. A
     * snapshot of a data volume is never one.
     */
    static boolean abandoned(Snapshot snapshot, Set<String> used, Set<String> keptDigests, Instant now) {
        // Snapshots of data volumes (scheduled, final, or kept on a replacement) carry the volume's
        // tags, the application's among them: they are data, never an image's leftovers.
        if (used.contains(snapshot.snapshotId()) || AmiTags.value(snapshot.tags(), AmiTags.DATA_VOLUME).isPresent()) {
            return false;
        }
        Optional<String> digest = AmiTags.value(snapshot.tags(), AmiTags.IMAGE_DIGEST);
        if (digest.isPresent() && keptDigests.contains(digest.get())) {
            return false;
        }
        boolean recent = snapshot.startTime() != null
                && snapshot.startTime().isAfter(now.minus(SnapshotUploader.SNAPSHOT_TIMEOUT));
        return !(snapshot.state() == SnapshotState.PENDING && recent);
    }

    static List<String> snapshotsOf(Image image) {
        Set<String> ids = new HashSet<>();
        return image.blockDeviceMappings().stream().filter(m -> m.ebs() != null).map(m -> m.ebs().snapshotId())
                .filter(Objects::nonNull).filter(ids::add).toList();
    }

    /**
     * Deletes one snapshot; false when it was already gone, or, for an orphan, when something else
     * still uses it. The snapshot of an AMI just deregistered may be reported in use for a moment.
     */
    private boolean delete(String snapshotId, boolean waitWhileInUse) {
        String what = "delete snapshot " + snapshotId;
        Outcome<Boolean> outcome = new Waiter(IN_USE_WAIT, Duration.ofSeconds(5)).await(() -> {
            try {
                ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
                return Outcome.done(true);
            } catch (AwsServiceException e) {
                String code = Ec2Caller.code(e);
                if (code.equals("InvalidSnapshot.NotFound")) {
                    return Outcome.done(false);
                }
                if (code.equals("InvalidSnapshot.InUse")) {
                    return waitWhileInUse ? Outcome.retry(e.awsErrorDetails().errorMessage()) : Outcome.done(false);
                }
                throw Ec2Caller.failure(what, e);
            } catch (SdkException e) {
                throw Ec2Caller.failure(what, e);
            }
        });
        if (outcome.state() != Outcome.State.DONE) {
            throw new I2kitException("cannot " + what + ": " + outcome.reason() + " (still, after "
                    + IN_USE_WAIT.toMinutes() + " min); hint: another AMI may use it: deregister that one first");
        }
        return outcome.value();
    }

    @Override
    public void close() {
        ec2.close();
    }
}
