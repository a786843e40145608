package io.i2kit.provider.local.vm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The CPU time a process has used, user and system, as {@code /proc/<pid>/stat} counts it. For
 * QEMU that is every thread's: the vCPUs' (which, under TCG, run the guest's code) and its I/O.
 */
final class ProcessCpu {
    /**
     * The kernel reports these times in USER_HZ ticks, which it fixes at 100 for user space on
     * x86 and arm64 whatever its own tick rate (so that {@code sysconf(_SC_CLK_TCK)} never changes).
     */
    static final long TICKS_PER_SECOND = 100;

    private ProcessCpu() {
    }

    /** The process's utime + stime; empty when it is gone (or is not readable). */
    static Optional<Duration> read(long pid) {
        try {
            return parse(Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.ISO_8859_1));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * utime and stime are fields 14 and 15; the second field, the command name in parentheses,
     * may itself hold spaces and parentheses, so counting starts after its last ')'.
     */
    static Optional<Duration> parse(String stat) {
        int end = stat.lastIndexOf(')');
        if (end < 0) {
            return Optional.empty();
        }
        String[] fields = stat.substring(end + 1).strip().split(" +");
        // fields[0] is field 3 (the state): utime (14) is fields[11], stime (15) fields[12]
        if (fields.length < 13) {
            return Optional.empty();
        }
        try {
            long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
            return Optional.of(Duration.ofMillis(ticks * 1000 / TICKS_PER_SECOND));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
