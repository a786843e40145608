package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.disk.Allocated;
import io.i2kit.oci.Digest;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code build --out}: the cached files under LinuxKit's names, the owner's only, the raw-efi disk sparse. */
class ImageExportTest {
    @TempDir
    Path dir;

    @Test
    void theRawEfiDiskInOutIsASparseCopyOfTheCachedOne() throws Exception {
        Path cache = Files.createDirectories(dir.resolve("builds/image"));
        for (String file : new String[] {BuiltImage.KERNEL, BuiltImage.INITRD, BuiltImage.CMDLINE, BuildRecord.FILE, "linuxkit.yml"}) {
            Files.writeString(cache.resolve(file), file + " of web");
        }
        Path efi = cache.resolve(BuiltImage.EFI);
        try (RandomAccessFile disk = new RandomAccessFile(efi.toFile(), "rw")) {
            disk.setLength(128L << 20);
            disk.seek(1 << 20);
            disk.write("a GPT and a FAT32 partition".repeat(1000).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            disk.seek((128L << 20) - 4096);
            disk.write(new byte[] {1, 2, 3});
        }
        BuiltImage image = new BuiltImage("web", Digest.of("web".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                cache.resolve(BuiltImage.KERNEL), cache.resolve(BuiltImage.INITRD), "console=ttyS0", Optional.of(efi), null, true);
        Path out = dir.resolve("out");

        ImageExport.export(image, out, true, true);

        Path exported = out.resolve("web-efi.img");
        assertThat(Files.size(exported)).isEqualTo(128L << 20);
        assertThat(Files.mismatch(efi, exported)).isEqualTo(-1L);
        assertThat(Allocated.bytes(exported)).as("bytes allocated in --out (du), of 128 MiB").isLessThan(1L << 20);
        assertThat(Files.getAttribute(exported, "unix:ino")).as("a copy, not a link: the user may change it")
                .isNotEqualTo(Files.getAttribute(efi, "unix:ino"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(exported))).isEqualTo("rw-------");
        assertThat(out.resolve("web-kernel")).hasContent("kernel of web");
    }
}
