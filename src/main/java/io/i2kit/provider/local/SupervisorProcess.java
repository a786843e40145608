package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import io.i2kit.build.OwnerOnly;
import io.i2kit.event.Event;
import java.util.function.Consumer;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one supervisor of an application, as the operating system knows it: a lock it holds for its
 * whole life (the kernel drops it when the process dies, however it dies), and a pid file that
 * names its pid and start time, so that nobody ever signals a later process that reuses the pid.
 */
final class SupervisorProcess {
    private SupervisorProcess() {
    }

    /** Takes the application's supervisor lock for this process, or fails naming the holder. */
    static FileLock claim(AppPaths paths) {
        try {
            paths.create();
            FileChannel channel = FileChannel.open(OwnerOnly.create(paths.supervisorLock()), StandardOpenOption.WRITE);
            FileLock lock = tryLock(channel);
            if (lock == null) {
                channel.close();
                throw new I2kitException("another supervisor of " + paths.root().getFileName() + " runs"
                        + running(paths).map(p -> " (pid " + p.pid() + ")").orElse("") + "; i2kit down stops it");
            }
            ProcessHandle self = ProcessHandle.current();
            Path tmp = paths.pid().resolveSibling("supervisor.pid.tmp");
            Files.writeString(OwnerOnly.create(tmp), self.pid() + " " + self.info().startInstant().map(Instant::toEpochMilli).orElse(0L) + "\n",
                    StandardCharsets.UTF_8);
            Files.move(tmp, paths.pid(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return lock;
        } catch (IOException e) {
            throw new I2kitException("cannot take the supervisor lock " + paths.supervisorLock() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The application's start lock, waiting (and saying so) while another {@code up} holds it; close
     * the channel to release it.
     */
    static FileChannel awaitStartLock(AppPaths paths, Consumer<Event.Note> progress) {
        try {
            paths.create();
            FileChannel channel = FileChannel.open(OwnerOnly.create(paths.startLock()), StandardOpenOption.WRITE);
            if (tryLock(channel) == null) {
                progress.accept(Event.Note.info(Event.Phase.DEPLOY, "waiting for another i2kit up of " + paths.root().getFileName() + " to start its supervisor"));
                channel.lock();
            }
            return channel;
        } catch (IOException e) {
            throw new I2kitException("cannot take the start lock " + paths.startLock() + ": " + e.getMessage(), e);
        }
    }

    /** Whether a live process holds the application's supervisor lock (serving yet or not). */
    static boolean held(AppPaths paths) {
        if (!Files.exists(paths.supervisorLock())) {
            return false;
        }
        try (FileChannel channel = FileChannel.open(paths.supervisorLock(), StandardOpenOption.WRITE)) {
            FileLock lock = tryLock(channel);
            if (lock == null) {
                return true;
            }
            lock.release();
            return false;
        } catch (IOException e) {
            return false;
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // this very process holds it (a foreground supervisor)
        }
    }

    /** The supervisor the pid file names, if that pid is still the same process (same start time). */
    static Optional<ProcessHandle> running(AppPaths paths) {
        try {
            String[] fields = Files.readString(paths.pid()).strip().split(" ");
            long pid = Long.parseLong(fields[0]);
            long started = fields.length > 1 ? Long.parseLong(fields[1]) : -1;
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> p.info().startInstant()
                    .map(Instant::toEpochMilli).map(t -> t == started).orElse(false));
        } catch (IOException | NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    /**
     * Every background supervisor of the application, found by its command line ({@code supervise
     * --state ROOT}): what i2kit started, whatever the pid file says.
     */
    static List<ProcessHandle> background(AppPaths paths) {
        String root = paths.root().toAbsolutePath().normalize().toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid()).filter(p -> {
            List<String> args = arguments(p.pid());
            int state = args.indexOf("--state");
            return args.contains(SupervisorMain.ARGUMENT) && state >= 0 && state + 1 < args.size() && args.get(state + 1).equals(root);
        }).toList();
    }

    private static List<String> arguments(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return raw.length == 0 ? List.of() : List.of(new String(raw, StandardCharsets.UTF_8).split("\0"));
        } catch (IOException e) {
            return List.of();
        }
    }

    /** SIGTERM, then SIGKILL after {@code grace}; returns once it is gone. */
    static void stop(ProcessHandle process, Duration grace) {
        process.destroy();
        if (!awaitExit(process, grace)) {
            process.destroyForcibly();
            awaitExit(process, Duration.ofSeconds(10));
        }
    }

    private static boolean awaitExit(ProcessHandle process, Duration timeout) {
        try {
            process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }
}
