package io.i2kit.image.disk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The bytes a file has on disk, as {@code du} counts them: Java's file attributes do not carry the
 * allocated blocks, so {@code stat} is asked (it works on ext4 and tmpfs alike).
 */
public final class Allocated {
    private Allocated() {
    }

    public static long bytes(Path file) throws IOException, InterruptedException {
        Process stat = new ProcessBuilder("stat", "--format=%b %B", file.toString()).redirectErrorStream(true).start();
        String out = new String(stat.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (stat.waitFor() != 0) {
            throw new IOException("stat " + file + " failed: " + out);
        }
        String[] blocksAndUnit = out.split(" ");
        return Long.parseLong(blocksAndUnit[0]) * Long.parseLong(blocksAndUnit[1]);
    }
}
