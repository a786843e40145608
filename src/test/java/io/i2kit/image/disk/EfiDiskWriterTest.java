package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EfiDiskWriterTest {
    private static final Digest SEED = Digest.of(new byte[] {1});
    private static final long GIB = 1L << 30;
    private static final long MIB = 1L << 20;

    @TempDir
    Path dir;
    private EfiBootFiles files;

    @BeforeEach
    void inputs() throws IOException {
        files = new EfiBootFiles(random("boot.efi", 150_000, 1), random("vmlinuz", 3_000_000, 2),
                random("initrd", 2_000_000, 3), "console=ttyS0 panic=-1");
    }

    @Test
    void twoWritesGiveIdenticalBytes() throws IOException {
        EfiDisk a = write("a.img", SEED);
        EfiDisk b = write("b.img", SEED);
        assertThat(a.sizeBytes()).isEqualTo(GIB);
        assertThat(a.partitionOffset()).isEqualTo(MIB);
        assertThat(a.partitionBytes()).isEqualTo(GIB - 2 * MIB);
        assertThat(Files.size(b.path())).isEqualTo(GIB);
        assertThat(differences(a.path(), b.path())).isEmpty();
    }

    @Test
    void anotherSeedChangesOnlyTheGuidsTheVolumeIdAndTheirChecksums() throws IOException {
        EfiDisk a = write("a.img", SEED);
        EfiDisk b = write("b.img", Digest.of(new byte[] {2}));
        long last = GIB - 512;
        long backupArray = last - 32 * 512;
        List<long[]> allowed = List.of(
                range(512 + 16, 4), range(512 + 56, 16), range(512 + 88, 4), // primary header: CRC, disk GUID, array CRC
                range(1024 + 16, 16), // primary entry: partition GUID
                range(backupArray + 16, 16),
                range(last + 16, 4), range(last + 56, 16), range(last + 88, 4),
                range(MIB + 67, 4), range(MIB + 6 * 512 + 67, 4)); // FAT volume ID, and in the backup boot sector
        List<Long> differences = differences(a.path(), b.path());
        assertThat(differences).isNotEmpty().allSatisfy(offset ->
                assertThat(allowed).anySatisfy(r -> assertThat(offset).isBetween(r[0], r[1])));
        assertThat(a.diskGuid()).isNotEqualTo(b.diskGuid());
        assertThat(a.partitionGuid()).isNotEqualTo(b.partitionGuid());
        for (long[] guid : List.of(range(512 + 56, 16), range(1024 + 16, 16))) {
            assertThat(differences).anySatisfy(offset -> assertThat(offset).isBetween(guid[0], guid[1]));
        }
    }

    @Test
    void diskSizeIsTheNextWholeGibibyteAndHasALimit() {
        Path out = dir.resolve("x.img");
        assertThat(EfiDiskWriter.diskBytesFor(33 * MIB, 0, out)).isEqualTo(GIB);
        assertThat(EfiDiskWriter.diskBytesFor(GIB - 6 * MIB, 0, out)).isEqualTo(GIB);
        assertThat(EfiDiskWriter.diskBytesFor(GIB - 5 * MIB, 0, out)).isEqualTo(2 * GIB);
        assertThat(EfiDiskWriter.diskBytesFor(8 * GIB - 6 * MIB, 0, out)).isEqualTo(8 * GIB);
        assertThatThrownBy(() -> EfiDiskWriter.diskBytesFor(8 * GIB, 9 * GIB, out))
                .isInstanceOf(I2kitException.class)
                .hasMessageStartingWith("cannot write the EFI disk " + out + ": its files take 9216.0 MiB")
                .hasMessageContaining("more than the 8 GiB an i2kit EFI disk may have; hint: make the image smaller");
    }

    @Test
    void aMissingInputIsNamedAndNothingIsLeftBehind() {
        EfiBootFiles missing = new EfiBootFiles(files.bootloader(), dir.resolve("nope"), files.initrd(), "");
        assertThatThrownBy(() -> new EfiDiskWriter().write(dir.resolve("d.img"), missing, SEED, Progress.NONE))
                .isInstanceOf(I2kitException.class)
                .hasMessage("cannot write an EFI disk: the kernel " + dir.resolve("nope")
                        + " is not a readable file; hint: check the path, or build the kernel first");
        assertThat(dir.resolve("d.img")).doesNotExist();
    }

    @Test
    void replacesTheTargetAndLeavesNoTemporaryFile() throws IOException {
        Files.writeString(dir.resolve("d.img"), "old");
        write("d.img", SEED);
        try (var listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("boot.efi", "vmlinuz", "initrd", "d.img");
        }
        assertThat(Files.size(dir.resolve("d.img"))).isEqualTo(GIB);
    }

    @Test
    void refusesACommandLineThatWouldBreakTheEntryFile() {
        assertThatThrownBy(() -> new EfiBootFiles(files.bootloader(), files.kernel(), files.initrd(), "a\ninitrd /x"))
                .hasMessageContaining("printable ASCII on one line");
    }

    @Test
    void progressCountsEveryFileByte() throws IOException {
        long[] done = new long[2];
        Progress counting = new Progress() {
            @Override
            public void start(String task, long total) {
                done[0] = total;
            }

            @Override
            public void advance(String task, long bytes) {
                done[1] += bytes;
            }

            @Override
            public void finish(String task, String summary) {
            }
        };
        new EfiDiskWriter().write(dir.resolve("p.img"), files, SEED, counting);
        assertThat(done[0]).isEqualTo(150_000 + 3_000_000 + 2_000_000
                + EfiDiskWriter.LOADER_CONF.length() + EfiDiskWriter.bootEntry(files.cmdline()).length());
        assertThat(done[1]).isEqualTo(150_000 + 3_000_000 + 2_000_000);
    }

    private EfiDisk write(String name, Digest seed) {
        return new EfiDiskWriter().write(dir.resolve(name), files, seed, Progress.NONE);
    }

    private Path random(String name, int size, long seed) throws IOException {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return Files.write(dir.resolve(name), bytes);
    }

    private static long[] range(long start, int length) {
        return new long[] {start, start + length - 1};
    }

    /** Offsets of differing bytes, over memory maps: holes map to the zero page, so a sparse GiB is quick. */
    private static List<Long> differences(Path a, Path b) throws IOException {
        List<Long> offsets = new ArrayList<>();
        try (FileChannel ca = FileChannel.open(a); FileChannel cb = FileChannel.open(b)) {
            assertThat(cb.size()).isEqualTo(ca.size());
            long chunk = 64 * MIB;
            for (long position = 0; position < ca.size(); position += chunk) {
                long length = Math.min(chunk, ca.size() - position);
                ByteBuffer ba = ca.map(FileChannel.MapMode.READ_ONLY, position, length);
                ByteBuffer bb = cb.map(FileChannel.MapMode.READ_ONLY, position, length);
                for (int i = ba.mismatch(bb); i >= 0; ) {
                    offsets.add(position + i);
                    int next = ba.slice(i + 1, ba.limit() - i - 1).mismatch(bb.slice(i + 1, bb.limit() - i - 1));
                    i = next < 0 ? -1 : i + 1 + next;
                }
            }
        }
        return offsets;
    }
}
