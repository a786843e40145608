package io.i2kit.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders the stages' events on stderr, the one place they become text: on a terminal a redrawn
 * bar per task, otherwise plain lines (one at the start and one at the end of each task, so logs
 * stay readable), and with {@code --output json} one JSON object per line, for scripts.
 */
final class EventRenderer implements Events {
    enum Mode { TERMINAL, PLAIN, JSON }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter err;
    private final Mode mode;
    /** Per running task: total bytes, bytes done, start time. */
    private final Map<String, long[]> tasks = new ConcurrentHashMap<>();
    private long lastDraw;

    EventRenderer(PrintWriter err, Mode mode) {
        this.err = err;
        this.mode = mode;
    }

    /** A terminal is on stderr when the JVM has a console and TERM is not "dumb". */
    static EventRenderer forStderr(PrintWriter err, OutputOptions output) {
        boolean terminal = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        return new EventRenderer(err, output != null && output.json() ? Mode.JSON : terminal ? Mode.TERMINAL : Mode.PLAIN);
    }

    @Override
    public synchronized void emit(Event event) {
        if (event instanceof Event.Note n) {
            note(n);
        } else if (event instanceof Event.TaskStarted s) {
            tasks.put(s.task(), new long[] {s.totalBytes(), 0, System.nanoTime()});
            if (mode == Mode.JSON) {
                json(JSON.createObjectNode().put("event", "task-started").put("task", s.task())
                        .put("totalBytes", s.totalBytes()));
            } else if (mode == Mode.PLAIN) {
                line(s.task() + (s.totalBytes() > 0 ? " (" + Sizes.format(s.totalBytes()) + ")" : ""));
            }
        } else if (event instanceof Event.TaskAdvanced a) {
            advance(a);
        } else if (event instanceof Event.TaskFinished f) {
            long[] t = tasks.remove(f.task());
            if (mode == Mode.JSON) {
                ObjectNode node = JSON.createObjectNode().put("event", "task-finished").put("task", f.task())
                        .put("summary", f.summary());
                if (t != null) {
                    node.put("bytes", t[1]).put("seconds", (System.nanoTime() - t[2]) / 1e9);
                }
                json(node);
            } else {
                line(f.task() + ": " + f.summary() + (t == null ? "" : " in " + Sizes.seconds(System.nanoTime() - t[2])));
            }
        }
    }

    private void note(Event.Note n) {
        if (mode == Mode.JSON) {
            ObjectNode node = JSON.createObjectNode().put("event", "note").put("phase", lower(n.phase()))
                    .put("level", lower(n.level()));
            n.service().ifPresent(s -> node.put("service", s));
            json(node.put("text", n.text()));
        } else {
            line(n.service().map(s -> "[" + s + "] ").orElse("i2kit: ") + n.text());
        }
    }

    /** A manifest's warning, already in compiler form ({@code file:line:col: warning: …}). */
    synchronized void problem(String text) {
        if (mode == Mode.JSON) {
            json(JSON.createObjectNode().put("event", "note").put("phase", "validate").put("level", "warning")
                    .put("text", text));
        } else {
            line(text);
        }
    }

    /** Byte counts go into the bar on a terminal and into the finishing line otherwise: a line per chunk would drown the rest. */
    private void advance(Event.TaskAdvanced a) {
        long[] t = tasks.get(a.task());
        if (t == null) {
            return;
        }
        t[1] += a.bytes();
        long now = System.nanoTime();
        if (mode == Mode.TERMINAL && now - lastDraw > 100_000_000L) {
            lastDraw = now;
            long total = t[0];
            long done = t[1];
            String bar = "";
            if (total > 0) {
                int width = 24;
                int filled = (int) Math.min(width, done * width / total);
                bar = " [" + "#".repeat(filled) + " ".repeat(width - filled) + "] " + Math.min(100, done * 100 / total) + "%";
            }
            err.print("\r\033[K" + a.task() + bar + " " + Sizes.format(done) + (total > 0 ? "/" + Sizes.format(total) : ""));
            err.flush();
        }
    }

    private void line(String text) {
        if (mode == Mode.TERMINAL) {
            err.print("\r\033[K");
        }
        err.println(text);
        err.flush();
    }

    private void json(ObjectNode node) {
        err.println(node.toString());
        err.flush();
    }

    private static String lower(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
