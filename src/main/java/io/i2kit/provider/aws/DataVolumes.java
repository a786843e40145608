package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import io.i2kit.cloudformation.LogicalIds;
import io.i2kit.provider.Waiter;
import io.i2kit.provider.Waiter.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.Filter;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.Snapshot;
import software.amazon.awssdk.services.ec2.model.Tag;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.Volume;
import software.amazon.awssdk.services.ec2.model.VolumeState;

/**
 * An application's EBS data volumes, found by the data tag the service stacks give them (root
 * volumes carry the application's tag too, but never this one). Stack deletion keeps them
 * ({@code DeletionPolicy: Retain}); {@code down --delete-data} deletes them here, each after a
 * final snapshot unless told not to.
 */
final class DataVolumes {
    static final String DATA_TAG = LogicalIds.DATA_TAG;
    static final String SERVICE_TAG = "i2kit:service";
    static final String REPLICA_TAG = LogicalIds.REPLICA_TAG;
    static final String VOLUME_TAG = LogicalIds.VOLUME_TAG;
    static final String FINAL_SNAPSHOT_TAG = "i2kit:final-snapshot";

    private final Ec2Client ec2;
    private final Duration timeout;

    DataVolumes(Ec2Client ec2, Duration timeout) {
        this.ec2 = ec2;
        this.timeout = timeout;
    }

    /** Every data volume of the application, by service, replica and volume name. */
    List<AwsRemoval.DataVolume> find(String application) {
        List<AwsRemoval.DataVolume> found = new ArrayList<>();
        for (Volume v : ec2.describeVolumesPaginator(r -> r.filters(Filter.builder().name("tag:" + DATA_TAG)
                .values(application).build())).volumes()) {
            Map<String, String> tags = v.tags().stream().collect(Collectors.toMap(Tag::key, Tag::value, (a, b) -> a));
            found.add(new AwsRemoval.DataVolume(v.volumeId(), tags.getOrDefault(SERVICE_TAG, "?"),
                    tags.getOrDefault(REPLICA_TAG, "?"), tags.getOrDefault(VOLUME_TAG, "?"), v.size(),
                    v.availabilityZone(), v.stateAsString(), Optional.empty()));
        }
        found.sort(Comparator.comparing(AwsRemoval.DataVolume::service).thenComparing(AwsRemoval.DataVolume::replica)
                .thenComparing(AwsRemoval.DataVolume::volume));
        return List.copyOf(found);
    }

    /**
     * Deletes the volumes, each once it is detached; with {@code finalSnapshot}, first a snapshot
     * of each (tagged like the volume, so {@code down} never takes it for an image's leftover),
     * waited for until complete: a volume is deleted only when its data is safe elsewhere.
     */
    List<AwsRemoval.DataVolume> delete(String application, List<AwsRemoval.DataVolume> volumes, boolean finalSnapshot,
                                       Consumer<String> log) {
        List<AwsRemoval.DataVolume> deleted = new ArrayList<>();
        for (AwsRemoval.DataVolume v : volumes) {
            awaitVolume(v.id(), "available (detached)", state -> state == VolumeState.AVAILABLE);
            Optional<String> snapshot = Optional.empty();
            if (finalSnapshot) {
                String id = ec2.createSnapshot(r -> r.volumeId(v.id())
                        .description("i2kit final snapshot of " + application + "/" + v.service() + " replica "
                                + v.replica() + " volume " + v.volume())
                        .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.SNAPSHOT).tags(
                                tag("i2kit:application", application), tag(DATA_TAG, application),
                                tag(SERVICE_TAG, v.service()), tag(REPLICA_TAG, v.replica()), tag(VOLUME_TAG, v.volume()),
                                tag(FINAL_SNAPSHOT_TAG, "true")).build())).snapshotId();
                awaitSnapshot(id, v);
                snapshot = Optional.of(id);
                log.accept("[" + v.service() + "] final snapshot " + id + " of " + v.id() + " (" + v.volume()
                        + ", replica " + v.replica() + ") complete");
            }
            ec2.deleteVolume(r -> r.volumeId(v.id()));
            deleted.add(v.withFinalSnapshot(snapshot));
        }
        return List.copyOf(deleted);
    }

    private void awaitVolume(String id, String what, java.util.function.Predicate<VolumeState> ready) {
        Outcome<VolumeState> outcome = new Waiter(timeout, Duration.ofSeconds(1), Duration.ofSeconds(10)).await(() -> {
            Optional<Volume> volume = ec2.describeVolumes(r -> r.volumeIds(id)).volumes().stream().findFirst();
            if (volume.isEmpty()) {
                return Outcome.failed("volume " + id + " no longer exists");
            }
            VolumeState state = volume.get().state();
            return ready.test(state) ? Outcome.done(state) : Outcome.retry("volume " + id + " is " + volume.get().stateAsString());
        });
        if (outcome.state() != Outcome.State.DONE) {
            throw new I2kitException("volume " + id + " did not become " + what + " within " + timeout.toSeconds() + " s: "
                    + outcome.reason() + "; nothing else was deleted after it, run down --delete-data again");
        }
    }

    private void awaitSnapshot(String id, AwsRemoval.DataVolume v) {
        Outcome<Snapshot> outcome = new Waiter(timeout, Duration.ofSeconds(2), Duration.ofSeconds(15)).await(() -> {
            Snapshot s = ec2.describeSnapshots(r -> r.snapshotIds(id)).snapshots().stream().findFirst().orElseThrow();
            return switch (s.state()) {
                case COMPLETED -> Outcome.done(s);
                case ERROR -> Outcome.failed("snapshot " + id + " failed: " + s.stateMessage());
                default -> Outcome.retry("snapshot " + id + " is " + s.stateAsString()
                        + Optional.ofNullable(s.progress()).map(p -> " (" + p + ")").orElse(""));
            };
        });
        if (outcome.state() != Outcome.State.DONE) {
            throw new I2kitException("the final snapshot of volume " + v.id() + " (" + v.service() + " replica " + v.replica()
                    + ", " + v.volume() + ") did not complete: " + outcome.reason() + "; the volume was kept");
        }
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }
}
