package io.i2kit.provider.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The work directories of VMs that have stopped (replaced, rolled back, dead): the newest few stay
 * for a post-mortem of their console, older ones go, so that a long-lived application's directory
 * does not grow with every replacement.
 */
final class StoppedVms {
    /** Enough to read why the last replacements happened. */
    static final int KEPT = 5;

    private StoppedVms() {
    }

    /** Deletes all but the {@code kept} newest directories in {@code vms} that are not {@code inUse} (by a replica or a running VM). */
    static void prune(Path vms, Set<Path> inUse, int kept) {
        if (!Files.isDirectory(vms)) {
            return;
        }
        List<Path> stopped;
        try (Stream<Path> dirs = Files.list(vms)) {
            stopped = dirs.filter(Files::isDirectory)
                    .map(d -> d.toAbsolutePath().normalize())
                    .filter(d -> !inUse.contains(d))
                    .sorted(Comparator.comparing(StoppedVms::modified).reversed())
                    .toList();
        } catch (IOException e) {
            return; // tried again on the next round
        }
        stopped.stream().skip(kept).forEach(StoppedVms::delete);
    }

    private static FileTime modified(Path dir) {
        try {
            return Files.getLastModifiedTime(dir);
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> tree = Files.walk(dir)) {
            for (Path p : tree.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // a file still being written: the next round takes it
        }
    }
}
