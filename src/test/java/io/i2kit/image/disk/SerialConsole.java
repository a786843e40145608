package io.i2kit.image.disk;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A QEMU started with its serial console on stdout, read line by line. Closing it kills QEMU and
 * waits for it, so a failed or timed-out test never leaves a VM running.
 */
final class SerialConsole implements AutoCloseable {
    private final Process process;
    private final Deque<String> lines = new ArrayDeque<>();
    private final Thread reader;

    private SerialConsole(Process process) {
        this.process = process;
        this.reader = new Thread(this::read, "serial-console");
        reader.setDaemon(true);
        reader.start();
    }

    static SerialConsole start(List<String> command) throws IOException {
        return new SerialConsole(new ProcessBuilder(command).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start());
    }

    private void read() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            for (String line; (line = in.readLine()) != null; ) {
                synchronized (lines) {
                    lines.addLast(line);
                    if (lines.size() > 2000) {
                        lines.removeFirst();
                    }
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // QEMU was killed; the lines read so far are what there is.
        } finally {
            synchronized (lines) {
                lines.notifyAll();
            }
        }
    }

    /** Waits until a line contains {@code text}, QEMU exits, or the timeout passes. */
    boolean awaitLine(String text, long timeoutSeconds) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        synchronized (lines) {
            while (true) {
                if (lines.stream().anyMatch(line -> line.contains(text))) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0 || !reader.isAlive()) {
                    return false;
                }
                try {
                    lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
    }

    String tail(int count) {
        synchronized (lines) {
            List<String> all = List.copyOf(lines);
            return String.join("\n", all.subList(Math.max(0, all.size() - count), all.size()));
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
            reader.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
