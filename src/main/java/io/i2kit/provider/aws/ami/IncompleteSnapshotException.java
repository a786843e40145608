package io.i2kit.provider.aws.ami;

import io.i2kit.I2kitException;

/** An upload failed after its snapshot was started: the snapshot exists but must not be used. */
final class IncompleteSnapshotException extends I2kitException {
    private final String snapshotId;

    IncompleteSnapshotException(String snapshotId, I2kitException cause) {
        super(cause.getMessage(), cause);
        this.snapshotId = snapshotId;
    }

    String snapshotId() {
        return snapshotId;
    }
}
