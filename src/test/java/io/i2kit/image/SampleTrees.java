package io.i2kit.image;

import io.i2kit.image.Entry.Meta;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** A tree holding every kind of entry, with owners, set-id bits and a hard link. */
final class SampleTrees {
    private SampleTrees() {
    }

    static FileTree everyKind() {
        FileTree tree = new FileTree();
        tree.addDirectory("bin", Meta.ROOT_DIR);
        tree.addFile("bin/busybox", new Meta(04755, 0, 0), "#!busybox\n".getBytes(StandardCharsets.UTF_8));
        tree.addHardLink("bin/sh", "bin/busybox");
        tree.addSymlink("init", Meta.of(0777), "/bin/busybox");
        tree.addDevice("dev/console", new Meta(0600, 0, 5), false, 5, 1);
        tree.addDevice("dev/vda", new Meta(0660, 0, 6), true, 254, 0);
        tree.addFifo("run/initctl", Meta.of(0600));
        tree.addDirectory("home/app", new Meta(0750, 1000, 1000));
        tree.addFile("home/app/notes.txt", new Meta(0640, 1000, 1000), "odd length".getBytes(StandardCharsets.UTF_8));
        tree.addFile("empty", Meta.of(0644), new byte[0]);
        tree.addFile("a/" + "long-directory-name/".repeat(6) + "file", Meta.of(0644), "deep".getBytes(StandardCharsets.UTF_8));
        return tree;
    }

    /** A file larger than one LZ4 block (8 MiB), written on disk in small pieces. */
    static Path bigFile(Path dir) throws IOException {
        Path file = dir.resolve("big");
        byte[] chunk = new byte[1 << 16];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (int i = 0; i < 150; i++) { // 9.4 MiB of mildly compressible bytes
                for (int j = 0; j < chunk.length; j++) {
                    chunk[j] = (byte) ((i * 31 + j / 7) ^ (j % 13));
                }
                out.write(chunk);
            }
        }
        return file;
    }
}
