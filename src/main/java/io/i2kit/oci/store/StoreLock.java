package io.i2kit.oci.store;

import io.i2kit.I2kitException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;

/**
 * {@code $I2KIT_HOME/store.lock}: builds hold it shared while they read and write the store, and
 * {@code cache prune} holds it exclusively, so prune never removes what a build in progress is
 * about to use. Between processes a file lock does it (the kernel drops it with its process,
 * however that process ends); within one process, where file locks cannot overlap, a read-write
 * lock, the first reader taking the file lock for all.
 */
public final class StoreLock implements AutoCloseable {
    private static final Map<Path, Holder> HOLDERS = new ConcurrentHashMap<>();

    private final Holder holder;
    private final boolean shared;

    private StoreLock(Holder holder, boolean shared) {
        this.holder = holder;
        this.shared = shared;
    }

    /** The lock file of one store, as this process holds it. */
    private static final class Holder {
        final Path file;
        final ReentrantReadWriteLock inProcess = new ReentrantReadWriteLock();
        int readers;
        FileChannel channel;

        Holder(Path file) {
            this.file = file;
        }

        synchronized void lockFile(boolean shared, Consumer<String> waiting) throws IOException {
            if (shared && readers++ > 0) {
                return;
            }
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock(0, Long.MAX_VALUE, shared);
            if (lock == null) {
                waiting.accept(shared ? "waiting for i2kit cache prune to finish" : "waiting for builds in progress to finish");
                channel.lock(0, Long.MAX_VALUE, shared);
            }
        }

        synchronized void unlockFile(boolean shared) {
            if (shared && --readers > 0) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                // closing releases the lock; a failure leaves it to the process's end
            }
        }
    }

    /** For a build: waits (saying so) while a prune runs. */
    public static StoreLock shared(I2kitHome home, Consumer<String> waiting) {
        return take(home, true, waiting);
    }

    /** For a prune: waits (saying so) while builds run. */
    public static StoreLock exclusive(I2kitHome home, Consumer<String> waiting) {
        return take(home, false, waiting);
    }

    private static StoreLock take(I2kitHome home, boolean shared, Consumer<String> waiting) {
        Path file = home.root().toAbsolutePath().normalize().resolve("store.lock");
        Holder holder = HOLDERS.computeIfAbsent(file, Holder::new);
        var inProcess = shared ? holder.inProcess.readLock() : holder.inProcess.writeLock();
        inProcess.lock();
        try {
            holder.lockFile(shared, waiting);
            return new StoreLock(holder, shared);
        } catch (IOException e) {
            inProcess.unlock();
            throw new I2kitException("cannot lock the store " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        holder.unlockFile(shared);
        (shared ? holder.inProcess.readLock() : holder.inProcess.writeLock()).unlock();
    }
}
