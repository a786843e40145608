package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Built images under {@code $I2KIT_HOME/builds}: {@code <image hex>/} holds the outputs and the
 * build record; {@code by-input/<input hex>} names the image a given set of inputs built. A build
 * is published by renaming a finished directory into place, so a crash or a concurrent build never
 * exposes half an image, and an unchanged service is found without building anything.
 */
public final class BuildCache {
    private final Path root;

    public BuildCache(Path root) {
        this.root = root;
    }

    /** The image built before from exactly these inputs, if its outputs are still complete. */
    public Optional<Path> lookup(Digest inputs) {
        Path pointer = root.resolve("by-input").resolve(inputs.hex());
        try {
            if (!Files.isRegularFile(pointer)) {
                return Optional.empty();
            }
            Digest image = Digest.parse(Files.readString(pointer, StandardCharsets.UTF_8).trim());
            Path dir = root.resolve(image.hex());
            return Files.isRegularFile(dir.resolve(BuildRecord.FILE)) ? Optional.of(dir) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty(); // a damaged entry is a cache miss: the service is built again
        }
    }

    /** A fresh directory to build into, on the same file system as the cache. */
    public Path workspace() {
        try {
            return Files.createTempDirectory(Files.createDirectories(root.resolve("tmp")), "build-");
        } catch (IOException e) {
            throw new I2kitException("cannot create a build directory under " + root + ": " + e.getMessage(), e);
        }
    }

    /** Publishes a finished workspace as {@code image}, built from {@code inputs}; returns its directory. */
    public Path publish(Path workspace, Digest image, Digest inputs) {
        Path dir = root.resolve(image.hex());
        try {
            sync(workspace);
            try {
                Files.move(workspace, dir, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                if (!Files.isDirectory(dir)) {
                    throw e;
                }
                // The image exists (published meanwhile, or built before in another format): its
                // files are identical, so only what it lacks, such as a raw-efi disk, moves in.
                try (Stream<Path> files = Files.list(workspace)) {
                    for (Path f : files.toList()) {
                        Path target = dir.resolve(f.getFileName());
                        if (!Files.exists(target)) {
                            Files.move(f, target, StandardCopyOption.ATOMIC_MOVE);
                        }
                    }
                }
                delete(workspace);
            }
            Path pointer = root.resolve("by-input").resolve(inputs.hex());
            Files.createDirectories(pointer.getParent());
            Path tmp = Files.createTempFile(pointer.getParent(), "input-", ".part");
            Files.writeString(tmp, image + "\n", StandardCharsets.UTF_8);
            sync(tmp); // a pointer published empty would name no image after a crash
            Files.move(tmp, pointer, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return dir;
        } catch (IOException e) {
            throw new I2kitException("cannot publish build " + image + " in " + root + ": " + e.getMessage(), e);
        }
    }

    /** Every file on disk before the rename makes it visible: a crash must not publish empty files. */
    private static void sync(Path workspace) throws IOException {
        try (Stream<Path> walk = Files.walk(workspace)) {
            for (Path f : walk.filter(Files::isRegularFile).toList()) {
                try (java.nio.channels.FileChannel channel = java.nio.channels.FileChannel.open(f,
                        java.nio.file.StandardOpenOption.READ)) {
                    channel.force(true);
                }
            }
        }
    }

    static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new I2kitException("cannot delete " + dir + ": " + e.getMessage(), e);
        }
    }
}
