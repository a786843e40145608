package io.i2kit.provider.aws.ami;

import java.util.Objects;
import java.util.Optional;

/**
 * An AMI ready to launch.
 *
 * @param imageId    {@code ami-…}
 * @param snapshotId the snapshot of its root volume
 * @param reused     true when an AMI of the same digest already existed and nothing was uploaded
 * @param upload     what the upload took; empty when reused
 */
public record PublishedAmi(String imageId, String snapshotId, boolean reused, Optional<UploadStatistics> upload) {
    public PublishedAmi {
        Objects.requireNonNull(imageId, "imageId");
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(upload, "upload");
    }
}
