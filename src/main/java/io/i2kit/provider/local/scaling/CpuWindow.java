package io.i2kit.provider.local.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Each replica's CPU time as sampled over the last window, from which its average CPU over that
 * window follows: the CPU time used between two samples a window apart, as a share of the time
 * between them on every vCPU. A replica is measured only once its samples span a whole window.
 */
final class CpuWindow {
    private record Sample(Instant at, Duration cpu) {
    }

    private final Duration window;
    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    CpuWindow(Duration window) {
        this.window = window;
    }

    /**
     * Adds a sample of {@code id}. A CPU time below the last one is another process (the replica
     * was restarted under the same id): its history starts again.
     */
    void record(String id, Instant at, Duration cpu) {
        Deque<Sample> history = samples.computeIfAbsent(id, k -> new ArrayDeque<>());
        if (!history.isEmpty()) {
            Sample last = history.getLast();
            if (cpu.compareTo(last.cpu()) < 0) {
                history.clear();
            } else if (!at.isAfter(last.at())) {
                return; // a second sample at the same instant adds nothing
            }
        }
        history.addLast(new Sample(at, cpu));
        // Keep one sample at or before the cutoff, the start of the window, and none older.
        Instant cutoff = at.minus(window);
        while (history.size() > 1 && !second(history).at().isAfter(cutoff)) {
            history.removeFirst();
        }
    }

    private static Sample second(Deque<Sample> history) {
        var it = history.iterator();
        it.next();
        return it.next();
    }

    /** Forgets the replicas not in {@code ids}: gone, or out of service (a new start measures afresh). */
    void retain(Set<String> ids) {
        samples.keySet().retainAll(ids);
    }

    /**
     * The average CPU of {@code id} over the window that ends at its last sample, in percent of
     * {@code vcpus} (at most 100: QEMU's own threads can add a little beyond its vCPUs); empty
     * until its samples span a whole window.
     */
    OptionalDouble percent(String id, int vcpus) {
        Deque<Sample> history = samples.get(id);
        if (history == null || history.size() < 2) {
            return OptionalDouble.empty();
        }
        Sample first = history.getFirst();
        Sample last = history.getLast();
        Duration span = Duration.between(first.at(), last.at());
        if (span.compareTo(window) < 0) {
            return OptionalDouble.empty();
        }
        double used = last.cpu().minus(first.cpu()).toNanos();
        double available = (double) span.toNanos() * vcpus;
        return OptionalDouble.of(Math.min(100.0, 100.0 * used / available));
    }
}
