package io.i2kit.oci.registry;

import io.i2kit.event.Progress;
import java.util.ArrayList;
import java.util.List;

/** Remembers progress events as text lines, for assertions. */
final class RecordingProgress implements Progress {
    final List<String> events = new ArrayList<>();
    long advanced;

    @Override
    public synchronized void start(String task, long total) {
        events.add("start " + task + " " + total);
    }

    @Override
    public synchronized void advance(String task, long done) {
        advanced += done;
    }

    @Override
    public synchronized void finish(String task, String summary) {
        events.add("finish " + task + " " + summary);
    }
}
