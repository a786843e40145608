package io.i2kit.provider.aws.ami;

import io.i2kit.event.Progress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/** Progress events as the uploader and publisher emit them, from any thread. */
final class RecordingProgress implements Progress {
    final Map<String, Long> totals = new ConcurrentHashMap<>();
    final Map<String, AtomicLong> done = new ConcurrentHashMap<>();
    final List<String> finished = new CopyOnWriteArrayList<>();

    @Override
    public void start(String task, long total) {
        totals.put(task, total);
    }

    @Override
    public void advance(String task, long bytes) {
        done.computeIfAbsent(task, t -> new AtomicLong()).addAndGet(bytes);
    }

    @Override
    public void finish(String task, String summary) {
        finished.add(task + ": " + summary);
    }
}
