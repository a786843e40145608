package io.i2kit.provider.local;

import io.i2kit.provider.Provider;
import io.i2kit.provider.Reports;
import io.i2kit.provider.Waiter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The console output of a service's VMs, whole lines only, each from its VM and split by container
 * ({@link ConsoleLine}); with {@code follow}, new lines as they come until interrupted. A console
 * shorter than what was read was capped by the supervisor (rotated to console.log.1): it is read
 * again from its start. {@code since} starts each console at its {@link ConsoleMarks mark}.
 */
final class ConsoleTail {
    private static final Duration POLL = Duration.ofMillis(500);

    private final Map<String, Long> offsets = new HashMap<>();

    void run(List<Status.ReplicaStatus> replicas, Provider.LogsRequest request, Consumer<Reports.LogLine> out) {
        Consumer<Reports.LogLine> lines = line -> {
            if (request.wants(line.container())) {
                out.accept(line);
            }
        };
        request.since().ifPresent(since -> replicas.forEach(r ->
                offsets.put(r.id(), ConsoleMarks.offsetAt(console(r), since))));
        readAll(replicas, lines);
        if (!request.follow()) {
            return;
        }
        // Follows until interrupted (Ctrl-C ends the process); each pass waits for new output first.
        Waiter waiter = new Waiter(Duration.ofDays(365), POLL, POLL);
        waiter.await(() -> {
            readAll(replicas, lines);
            return Thread.currentThread().isInterrupted() ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("following");
        });
    }

    private void readAll(List<Status.ReplicaStatus> replicas, Consumer<Reports.LogLine> lines) {
        for (Status.ReplicaStatus r : replicas) {
            offsets.put(r.id(), read(r.id(), console(r), offsets.getOrDefault(r.id(), 0L), lines));
        }
    }

    private static Path console(Status.ReplicaStatus replica) {
        return Path.of(replica.workDir(), "console.log");
    }

    private static long read(String id, Path console, long from, Consumer<Reports.LogLine> lines) {
        try (RandomAccessFile file = new RandomAccessFile(console.toFile(), "r")) {
            long start = from > file.length() ? 0 : from;
            file.seek(start);
            byte[] rest = new byte[(int) (file.length() - start)];
            file.readFully(rest);
            int end = rest.length - 1;
            while (end >= 0 && rest[end] != '\n') {
                end--;
            }
            if (end < 0) {
                return start;
            }
            String text = new String(rest, 0, end, StandardCharsets.UTF_8).replace("\r", "");
            for (String line : text.split("\n", -1)) {
                lines.accept(ConsoleLine.of(id, line));
            }
            return start + end + 1;
        } catch (IOException e) {
            return from;
        }
    }
}
