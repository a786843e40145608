package io.i2kit.cli;

import io.i2kit.oci.Progress;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shows the core's progress events on stderr: a redrawn bar per task on a terminal, plain lines
 * otherwise (one at the start and one at the end of each task, so logs stay readable).
 */
final class ProgressPrinter implements Progress {
    private final PrintWriter err;
    private final boolean terminal;
    private final Map<String, long[]> tasks = new ConcurrentHashMap<>();
    private long lastDraw;

    ProgressPrinter(PrintWriter err, boolean terminal) {
        this.err = err;
        this.terminal = terminal;
    }

    /** A terminal is on stderr when the JVM has a console and TERM is not "dumb". */
    static ProgressPrinter forStderr(PrintWriter err) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new ProgressPrinter(err, terminal);
    }

    @Override
    public synchronized void start(String task, long total) {
        tasks.put(task, new long[] {total, 0, System.nanoTime()});
        if (!terminal) {
            err.println(task + (total > 0 ? " (" + Sizes.format(total) + ")" : ""));
            err.flush();
        }
    }

    @Override
    public synchronized void advance(String task, long done) {
        long[] t = tasks.get(task);
        if (t == null) {
            return;
        }
        t[1] += done;
        long now = System.nanoTime();
        if (terminal && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            draw(task, t);
        }
    }

    @Override
    public synchronized void finish(String task, String summary) {
        long[] t = tasks.remove(task);
        String took = t == null ? "" : " in " + Sizes.seconds(System.nanoTime() - t[2]);
        if (terminal) {
            err.print("\r\033[K");
        }
        err.println(task + ": " + summary + took);
        err.flush();
    }

    private void draw(String task, long[] t) {
        long total = t[0];
        long done = t[1];
        String bar = "";
        if (total > 0) {
            int width = 24;
            int filled = (int) Math.min(width, done * width / total);
            bar = " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + Math.min(100, done * 100 / total) + "%";
        }
        err.print("\r\033[K" + task + bar + " " + Sizes.format(done) + (total > 0 ? "/" + Sizes.format(total) : ""));
        err.flush();
    }
}
