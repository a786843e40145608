package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's decision to format a volume's disk, run by busybox on this host against disk files:
 * only a disk that is all zeros where a file system would start is formatted; one with ext4 is
 * mounted as it is; anything else is left alone. (VolumesIT boots the whole path in real VMs.)
 */
class VolumesScriptTest {
    private static final Path SCRIPT = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit/volumes.sh").toAbsolutePath();
    @TempDir
    Path dir;

    private String fsState(Path disk) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(TestInitrd.BUSYBOX.toString(), "sh", "-c", ". \"$1\" && fs_state \"$2\"", "sh",
                SCRIPT.toString(), disk.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertThat(p.waitFor()).as(out).isZero();
        return out;
    }

    private Path sparse(String name, long size) throws IOException {
        Path file = dir.resolve(name);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
        return file;
    }

    @Test
    void formatsOnlyANewDiskAndMountsExt4AsItIs() throws Exception {
        Path fresh = sparse("fresh.img", 16L << 20);
        assertThat(fsState(fresh)).isEqualTo("empty");

        Path ext4 = sparse("ext4.img", 16L << 20);
        Process mkfs = new ProcessBuilder("/sbin/mke2fs", "-q", "-F", "-t", "ext4", ext4.toString()).inheritIO().start();
        assertThat(mkfs.waitFor()).isZero();
        assertThat(fsState(ext4)).isEqualTo("ext");

        Path other = sparse("other.img", 16L << 20);
        try (RandomAccessFile raf = new RandomAccessFile(other.toFile(), "rw")) {
            raf.seek(40_000); // beyond the superblock, within the first 64 KiB: some other file system's data
            raf.write("not a file system of ours".getBytes(StandardCharsets.US_ASCII));
        }
        assertThat(fsState(other)).isEqualTo("other");
        assertThat(Files.size(other)).isEqualTo(16L << 20);
    }
}
