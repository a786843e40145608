package io.i2kit.build;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Rendered templates and built images hold the containers' environments, so what {@code render}
 * and {@code build} write into {@code --out} is the owner's only, whatever the umask: directories
 * they create 0700, files 0600.
 */
public final class OwnerOnly {
    private OwnerOnly() {
    }

    public static void directories(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    /** Before the file is renamed into place, so it is never readable by others, even for a moment. */
    public static void file(Path file) throws IOException {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
}
