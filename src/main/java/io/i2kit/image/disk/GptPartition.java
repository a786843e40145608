package io.i2kit.image.disk;

import java.util.Objects;
import java.util.UUID;

/** One GPT partition: sectors {@code firstLba} to {@code lastLba}, both included. */
record GptPartition(UUID type, UUID guid, long firstLba, long lastLba, String name) {
    static final UUID EFI_SYSTEM = UUID.fromString("c12a7328-f81f-11d2-ba4b-00a0c93ec93b");

    GptPartition {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(guid, "guid");
        if (firstLba < 0 || lastLba < firstLba) {
            throw new IllegalArgumentException("partition sectors " + firstLba + ".." + lastLba + " are not a range");
        }
        if (name.length() > 36) {
            throw new IllegalArgumentException("GPT partition name \"" + name + "\" is longer than 36 characters");
        }
    }

    long sizeBytes() {
        return (lastLba - firstLba + 1) * GptWriter.SECTOR;
    }
}
