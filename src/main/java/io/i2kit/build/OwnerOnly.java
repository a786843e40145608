package io.i2kit.build;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * What i2kit writes for one user is that user's only, whatever the umask of whoever started it
 * ({@code java -jar} keeps the caller's, often 022): rendered templates and built images hold the
 * containers' environments, and an application's state ({@code $I2KIT_HOME/apps/<app>}) its
 * consoles, logs and sockets. Directories 0700, files 0600, set explicitly where they are created,
 * since a mode given at creation is still reduced by the umask.
 */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final FileAttribute<Set<PosixFilePermission>> NEW_FILE = PosixFilePermissions.asFileAttribute(FILE);

    private OwnerOnly() {
    }

    /** Creates {@code dir} and its missing parents, each 0700 (less what the umask takes). */
    public static void directories(Path dir) throws IOException {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
    }

    /** Creates {@code dir} and its missing parents, then sets {@code dir} itself to exactly 0700. */
    public static Path directory(Path dir) throws IOException {
        directories(dir);
        Files.setPosixFilePermissions(dir, DIRECTORY);
        return dir;
    }

    /** Before the file is renamed into place, so it is never readable by others, even for a moment. */
    public static void file(Path file) throws IOException {
        Files.setPosixFilePermissions(file, FILE);
    }

    /**
     * Creates {@code file} empty unless it exists, and makes it 0600 either way: for a file that
     * something else then opens by name without a mode of its own (a redirected output, a lock, a
     * log QEMU appends to), so that it is never created with the umask's mode.
     */
    public static Path create(Path file) throws IOException {
        try {
            Files.createFile(file, NEW_FILE);
        } catch (FileAlreadyExistsException e) {
            // kept, with its content: only its mode changes
        }
        file(file);
        return file;
    }
}
