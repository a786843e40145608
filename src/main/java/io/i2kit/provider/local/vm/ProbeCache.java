package io.i2kit.provider.local.vm;

import io.i2kit.build.OwnerOnly;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The last KVM verdict, in {@code accelerator-probe} under the cache directory: one line for its key,
 * one for the verdict ({@code ok}, or {@code broken} and the reason). A new key (a reboot, another
 * QEMU or kernel) replaces it; an unreadable file is a miss, never an error.
 */
final class ProbeCache {
    static final String FILE = "accelerator-probe";
    private final Path file;

    ProbeCache(Path dir) {
        this.file = dir.resolve(FILE);
    }

    /** Empty {@code problem}: KVM works. */
    record Verdict(Optional<String> problem) {
    }

    Optional<Verdict> read(String key) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || !lines.get(0).equals(key)) {
                return Optional.empty();
            }
            String verdict = lines.get(1);
            if (verdict.equals("ok")) {
                return Optional.of(new Verdict(Optional.empty()));
            }
            return verdict.startsWith("broken ") ? Optional.of(new Verdict(Optional.of(verdict.substring(7))))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Best effort: a cache that cannot be written only costs the next command another probe. */
    void write(String key, Verdict verdict) {
        String text = key + "\n" + verdict.problem().map(p -> "broken " + p.replace('\n', ' ')).orElse("ok") + "\n";
        try {
            OwnerOnly.directories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), FILE, ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // see above
        }
    }
}
