package io.i2kit.provider.local;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * When a VM's console reached which size. A console line carries no time, so the supervisor notes,
 * on each reconcile where the console grew, {@code <epoch ms> <end of its last whole line>} in
 * {@code console.log.marks}; {@code logs --since} then starts at the last mark at or before the
 * time asked for. Lines past a mark ended after it, so nothing since that time is missed, and what
 * is shown from before it is at most one reconcile period older (while the supervisor runs).
 */
final class ConsoleMarks {
    private ConsoleMarks() {
    }

    static Path of(Path console) {
        return console.resolveSibling(console.getFileName() + ".marks");
    }

    /**
     * Notes the console's size now, if it grew since the last mark. {@code rotated}: the console was
     * just emptied ({@link LogRotation}), so the old marks name bytes that are gone.
     */
    static void mark(Path console, boolean rotated, Instant now) {
        Path marks = of(console);
        try {
            if (rotated) {
                Files.deleteIfExists(marks);
            }
            if (!Files.isRegularFile(console)) {
                return;
            }
            long last = lastSize(marks);
            long size = lineEnd(console, Math.max(0, last));
            if (size <= 0 || size == last) {
                return;
            }
            Files.writeString(marks, now.toEpochMilli() + " " + size + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            // a mark missed makes --since show a little more, never less: not worth failing a reconcile
        }
    }

    /** Where to start reading for lines written at or after {@code since}: 0 when no mark is that old. */
    static long offsetAt(Path console, Instant since) {
        long offset = 0;
        for (String line : lines(of(console))) {
            String[] parts = line.split(" ");
            if (parts.length != 2) {
                continue;
            }
            try {
                if (Long.parseLong(parts[0]) > since.toEpochMilli()) {
                    break;
                }
                offset = Long.parseLong(parts[1]);
            } catch (NumberFormatException e) {
                // a line cut short by a crash: skipped
            }
        }
        return offset;
    }

    /**
     * The end of the console's last whole line, so that reading from a mark never starts inside a
     * line (a line cut by the mark belongs to the time it was finished): searched for in what came
     * after {@code from}, the last mark, and within the last 64 KiB; 0 when none is there.
     */
    private static long lineEnd(Path console, long from) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(console.toFile(), "r")) {
            long length = file.length();
            long start = Math.max(from > length ? 0 : from, length - (64 << 10));
            byte[] tail = new byte[(int) (length - start)];
            file.seek(start);
            file.readFully(tail);
            for (int i = tail.length - 1; i >= 0; i--) {
                if (tail[i] == '\n') {
                    return start + i + 1;
                }
            }
            return 0;
        }
    }

    /** The size the last mark noted, read from the file's end (it grows all day on a chatty VM). */
    private static long lastSize(Path marks) throws IOException {
        if (!Files.isRegularFile(marks)) {
            return -1;
        }
        try (RandomAccessFile file = new RandomAccessFile(marks.toFile(), "r")) {
            long start = Math.max(0, file.length() - 64);
            byte[] tail = new byte[(int) (file.length() - start)];
            file.seek(start);
            file.readFully(tail);
            String[] lines = new String(tail, StandardCharsets.US_ASCII).split("\n");
            String[] parts = lines[lines.length - 1].split(" ");
            return parts.length == 2 && parts[1].matches("\\d{1,18}") ? Long.parseLong(parts[1]) : -1;
        }
    }

    private static List<String> lines(Path marks) {
        try {
            return Files.readAllLines(marks, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + marks, e);
        }
    }
}
