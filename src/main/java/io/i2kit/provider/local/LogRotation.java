package io.i2kit.provider.local;

import io.i2kit.build.OwnerOnly;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Caps a log that another process keeps writing (a VM's console, the supervisor's own output): past
 * {@code max} bytes its content moves to {@code NAME.1} (replacing the previous one) and the file is
 * truncated in place. The writer must have opened it for appending (QEMU's {@code append=on}, the
 * supervisor's redirected output), so it goes on at the new end instead of leaving a hole.
 */
final class LogRotation {
    /** Per log: the current file and one rotated file, at most twice this. */
    static final long MAX_BYTES = 4L << 20;

    private LogRotation() {
    }

    /** Whether it rotated; a log that cannot be rotated now is tried again on the next call. */
    static boolean rotate(Path log, long max) {
        try {
            if (!Files.isRegularFile(log) || Files.size(log) <= max) {
                return false;
            }
            Path rotated = log.resolveSibling(log.getFileName() + ".1");
            Path tmp = log.resolveSibling(log.getFileName() + ".1.tmp");
            Files.copy(log, tmp, StandardCopyOption.REPLACE_EXISTING);
            OwnerOnly.file(tmp);
            Files.move(tmp, rotated, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            try (FileChannel channel = FileChannel.open(log, StandardOpenOption.WRITE)) {
                channel.truncate(0);
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
