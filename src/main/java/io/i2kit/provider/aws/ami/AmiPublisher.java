package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;
import io.i2kit.event.Progress;
import io.i2kit.provider.aws.AwsContext;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.retries.api.BackoffStrategy;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.model.ArchitectureValues;
import software.amazon.awssdk.services.ec2.model.BlockDeviceMapping;
import software.amazon.awssdk.services.ec2.model.BootModeValues;
import software.amazon.awssdk.services.ec2.model.DescribeImagesResponse;
import software.amazon.awssdk.services.ec2.model.EbsBlockDevice;
import software.amazon.awssdk.services.ec2.model.Image;
import software.amazon.awssdk.services.ec2.model.ImageState;
import software.amazon.awssdk.services.ec2.model.ImdsSupportValues;
import software.amazon.awssdk.services.ec2.model.RegisterImageRequest;
import software.amazon.awssdk.services.ec2.model.ResourceType;
import software.amazon.awssdk.services.ec2.model.TagSpecification;
import software.amazon.awssdk.services.ec2.model.VolumeType;

/**
 * Makes the AMI of a service's raw-efi image, or finds the one made before. An AMI is found by its
 * image digest and application tags; only a registered AMI counts, so a snapshot left half-made by
 * a run that died is never reused (and {@link AmiRemover} deletes it). Otherwise the image is
 * uploaded to a new snapshot through the EBS direct APIs, and the snapshot, once completed, is
 * registered as a UEFI, ENA, IMDSv2-only x86_64 AMI. A failed publish deletes its snapshot.
 */
public final class AmiPublisher implements AutoCloseable {
    static final String ROOT_DEVICE = "/dev/xvda";
    // Sealing a snapshot of a few hundred MiB takes AWS a minute or a few; more means trouble.
    private static final Duration SNAPSHOT_WAIT = Duration.ofMinutes(30);
    private static final BackoffStrategy SNAPSHOT_POLL =
            BackoffStrategy.exponentialDelay(Duration.ofSeconds(1), Duration.ofSeconds(15));
    private static final Duration IMAGE_WAIT = Duration.ofMinutes(10);

    private final Ec2Client ec2;
    private final Supplier<EbsDirectClient> ebs;
    private final UploadSettings settings;

    public AmiPublisher(AwsContext context) {
        this(context, UploadSettings.DEFAULT);
    }

    public AmiPublisher(AwsContext context, UploadSettings settings) {
        this(context.client(Ec2Client.builder()), () -> EbsDirectClient.create(context), settings);
    }

    /** @param ebs makes one client per upload, so that its counts are that upload's alone */
    AmiPublisher(Ec2Client ec2, Supplier<EbsDirectClient> ebs, UploadSettings settings) {
        this.ec2 = ec2;
        this.ebs = ebs;
        this.settings = settings;
    }

    public PublishedAmi publish(AmiRequest request, Progress progress) {
        String task = "[" + request.service() + "] AMI";
        Optional<Image> existing = find(request);
        if (existing.isPresent()) {
            Image image = existing.get();
            progress.finish(task, "reusing " + image.imageId() + " (" + request.imageName() + ")");
            return new PublishedAmi(image.imageId(), rootSnapshot(image), true, Optional.empty());
        }
        SnapshotUploader.Uploaded uploaded;
        try {
            uploaded = new SnapshotUploader(ebs.get(), settings).upload(request.image(), AmiTags.of(request),
                    request.description(), "[" + request.service() + "] uploading " + request.image().getFileName()
                            + " to EBS", progress);
        } catch (IncompleteSnapshotException e) {
            discard(e.snapshotId(), e);
            throw e;
        }
        String imageId;
        try {
            awaitCompleted(uploaded.snapshotId(), request, progress);
            imageId = register(request, uploaded);
        } catch (I2kitException e) {
            discard(uploaded.snapshotId(), e);
            throw e;
        }
        progress.finish(task, "registered " + imageId + " (" + request.imageName() + ") from " + uploaded.snapshotId());
        return new PublishedAmi(imageId, uploaded.snapshotId(), false, Optional.of(uploaded.statistics()));
    }

    /** The AMI up would reuse for this image, if one exists; uploads nothing (what plan asks). */
    public Optional<String> existing(AmiRequest request) {
        return find(request).map(Image::imageId);
    }

    /** The newest usable AMI of this digest and application, waiting for one still being registered. */
    Optional<Image> find(AmiRequest request) {
        List<Image> images = Ec2Caller.call("look for an AMI of " + request.service() + " " + request.digest(),
                () -> ec2.describeImages(r -> r.owners("self").filters(
                        AmiTags.filter(AmiTags.IMAGE_DIGEST, request.digest().toString()),
                        AmiTags.filter(AmiTags.APPLICATION, request.application()))).images());
        Optional<Image> newest = images.stream()
                .filter(i -> i.state() == ImageState.AVAILABLE || i.state() == ImageState.PENDING)
                .max(Comparator.comparing((Image i) -> i.state() == ImageState.AVAILABLE)
                        .thenComparing(Image::creationDate, Comparator.nullsFirst(Comparator.naturalOrder())));
        if (newest.isEmpty() || newest.get().state() == ImageState.AVAILABLE) {
            return newest;
        }
        String id = newest.get().imageId();
        DescribeImagesResponse available = Ec2Caller.call("wait for AMI " + id + ", registered by another run, to "
                + "be available", () -> ec2.waiter().waitUntilImageAvailable(r -> r.imageIds(id),
                o -> o.waitTimeout(IMAGE_WAIT)).matched().response().orElseThrow());
        return available.images().stream().findFirst();
    }

    private void awaitCompleted(String snapshotId, AmiRequest request, Progress progress) {
        String task = "[" + request.service() + "] waiting for EBS to seal snapshot " + snapshotId;
        progress.start(task, -1);
        try {
            ec2.waiter().waitUntilSnapshotCompleted(r -> r.snapshotIds(snapshotId), o -> o.waitTimeout(SNAPSHOT_WAIT)
                    .maxAttempts(Integer.MAX_VALUE).backoffStrategyV2(SNAPSHOT_POLL));
            progress.finish(task, "completed");
        } catch (SdkException e) {
            progress.finish(task, "failed");
            throw new I2kitException("cannot publish the AMI of " + request.service() + ": its snapshot " + snapshotId
                    + " did not complete (" + e.getMessage() + "); hint: see the snapshot's state message with aws "
                    + "ec2 describe-snapshots --snapshot-ids " + snapshotId + ", then publish again", e);
        }
    }

    private String register(AmiRequest request, SnapshotUploader.Uploaded uploaded) {
        List<software.amazon.awssdk.services.ec2.model.Tag> tags = AmiTags.ec2(AmiTags.of(request));
        RegisterImageRequest register = RegisterImageRequest.builder()
                .name(request.imageName())
                .description(request.description())
                .architecture(ArchitectureValues.X86_64)
                .bootMode(BootModeValues.UEFI)
                .enaSupport(true)
                .virtualizationType("hvm")
                .imdsSupport(ImdsSupportValues.V2_0)
                .rootDeviceName(ROOT_DEVICE)
                .blockDeviceMappings(BlockDeviceMapping.builder().deviceName(ROOT_DEVICE).ebs(EbsBlockDevice.builder()
                        .snapshotId(uploaded.snapshotId()).volumeType(VolumeType.GP3).deleteOnTermination(true)
                        .volumeSize((int) uploaded.volumeGib()).build()).build())
                .tagSpecifications(TagSpecification.builder().resourceType(ResourceType.IMAGE).tags(tags).build())
                .build();
        String what = "register the AMI " + request.imageName() + " from snapshot " + uploaded.snapshotId();
        String imageId = Ec2Caller.call(what, () -> ec2.registerImage(register).imageId());
        // Tagged at registration already on AWS; emulators (moto 5.1.1) ignore TagSpecifications there,
        // and repeating the same tags is a no-op, so this keeps the lookup above working on both.
        Ec2Caller.call("tag the AMI " + imageId, () -> ec2.createTags(r -> r.resources(imageId).tags(tags)));
        return imageId;
    }

    /** Best effort: a snapshot that will never back an AMI is deleted; the remover finds any left. */
    private void discard(String snapshotId, I2kitException failure) {
        try {
            ec2.deleteSnapshot(r -> r.snapshotId(snapshotId));
        } catch (SdkException e) {
            failure.addSuppressed(Ec2Caller.failure("delete the unfinished snapshot " + snapshotId, e));
        }
    }

    static String rootSnapshot(Image image) {
        return image.blockDeviceMappings().stream()
                .filter(m -> m.ebs() != null && m.ebs().snapshotId() != null)
                .filter(m -> image.rootDeviceName() == null || image.rootDeviceName().equals(m.deviceName()))
                .map(m -> m.ebs().snapshotId()).findFirst().orElse("");
    }

    @Override
    public void close() {
        ec2.close();
    }
}
