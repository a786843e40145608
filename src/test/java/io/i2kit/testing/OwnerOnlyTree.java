package io.i2kit.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

/** What under a directory is not the owner's only: directories not 0700, anything else (sockets too) not 0600. */
public final class OwnerOnlyTree {
    private OwnerOnlyTree() {
    }

    /** Each offending path with its mode, {@code root} included; empty when all is owner-only. */
    public static List<String> offenders(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> {
                try {
                    String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS));
                    String wanted = Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS) ? "rwx------" : "rw-------";
                    return mode.equals(wanted) ? null : p + " " + mode;
                } catch (IOException e) {
                    return null; // removed meanwhile (a temporary file renamed into place)
                }
            }).filter(java.util.Objects::nonNull).toList();
        }
    }
}
