package io.i2kit.image.disk;

import java.nio.file.Path;
import java.util.UUID;

/**
 * A written EFI disk: {@code sizeBytes} in all, its EFI system partition of {@code partitionBytes}
 * at byte {@code partitionOffset}, holding {@code contentBytes} of files.
 */
public record EfiDisk(Path path, long sizeBytes, long partitionOffset, long partitionBytes, long contentBytes,
        UUID diskGuid, UUID partitionGuid) {
}
