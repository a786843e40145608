package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks a written EFI disk with the tools others trust (sgdisk, fsck.fat, mtools), then boots it:
 * OVMF runs systemd-boot from the disk, which loads Debian's cloud kernel and an initrd whose /init
 * prints a marker taken from the kernel command line, proving the boot entry was read.
 */
class EfiDiskIT {
    static final Path TOOLS = Path.of(".tools").toAbsolutePath();
    static final Path KERNEL = TOOLS.resolve("kernel/vmlinuz");
    static final Path SYSTEMD_BOOT = TOOLS.resolve("systemd-boot/systemd-bootx64.efi");
    /** Printed by /init as "I2KIT-" + the i2kit.marker argument + "-OK", so the command line alone never matches. */
    static final String MARKER = "I2KIT-EFI-BOOT-OK";
    static final String CMDLINE = "console=ttyS0 quiet panic=-1 i2kit.marker=EFI-BOOT";
    private static final Map<String, String> MTOOLS = Map.of("MTOOLS_SKIP_CHECK", "1");

    @TempDir
    static Path dir;
    static Path initrd;
    static EfiDisk disk;

    @BeforeAll
    static void writeDisk() throws IOException {
        for (Path needed : List.of(KERNEL, SYSTEMD_BOOT)) {
            if (!Files.isRegularFile(needed)) {
                fail("%s is missing; run scripts/setup.d/disk-tools.sh first", needed);
            }
        }
        initrd = markerInitrd(dir);
        disk = new EfiDiskWriter().write(dir.resolve("disk.img"),
                new EfiBootFiles(SYSTEMD_BOOT, KERNEL, initrd, CMDLINE), Digest.of(new byte[] {42}), Progress.NONE);
    }

    /** A newc cpio archive made by busybox's cpio: static busybox and an /init script. */
    static Path markerInitrd(Path dir) throws IOException {
        Path root = Files.createDirectories(dir.resolve("initrd-root"));
        Files.createDirectories(root.resolve("bin"));
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("dev"));
        Files.copy(Path.of("/bin/busybox"), root.resolve("bin/busybox"), StandardCopyOption.COPY_ATTRIBUTES);
        Path init = Files.writeString(root.resolve("init"), """
                #!/bin/busybox sh
                /bin/busybox mount -t proc proc /proc
                for word in $(/bin/busybox cat /proc/cmdline); do
                    case "$word" in i2kit.marker=*) /bin/busybox echo "I2KIT-${word#i2kit.marker=}-OK" ;; esac
                done
                /bin/busybox poweroff -f
                """);
        Files.setPosixFilePermissions(init, PosixFilePermissions.fromString("rwxr-xr-x"));
        Command.ok(root, "sh", "-c", "find . | LC_ALL=C sort | busybox cpio -o -H newc > ../initrd.cpio");
        return dir.resolve("initrd.cpio");
    }

    @Test
    void sgdiskFindsNoProblemsAndShowsTheEsp() {
        String path = disk.path().toString();
        assertThat(Command.ok(dir, "sgdisk", "-v", path)).contains("No problems found");
        String table = Command.ok(dir, "sgdisk", "-p", path);
        assertThat(table).contains("Disk identifier (GUID): " + disk.diskGuid().toString().toUpperCase())
                .containsPattern("(?m)^\\s+1\\s+2048\\s+2095103\\s+1022\\.0 MiB\\s+EF00\\s+EFI System Partition$");
        assertThat(Command.ok(dir, "sgdisk", "-i", "1", path))
                .contains("Partition unique GUID: " + disk.partitionGuid().toString().toUpperCase());
    }

    @Test
    void fsckFindsNoErrorsInThePartition() throws IOException {
        Path partition = extractPartition("esp.img");
        Command check = Command.run(dir, List.of("fsck.fat", "-n", "-v", partition.toString()));
        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("4096 bytes per cluster").contains("2048 hidden sectors")
                .doesNotContainIgnoringCase("differ").doesNotContainIgnoringCase("wrong")
                .doesNotContainIgnoringCase("dirty");
    }

    /** The check above could pass on anything if fsck.fat ignored the file; a damaged copy must fail. */
    @Test
    void fsckNoticesADamagedCopy() throws IOException {
        Path partition = extractPartition("damaged.img");
        try (RandomAccessFile file = new RandomAccessFile(partition.toFile(), "rw")) {
            file.seek(32 * 512 + 2 * 4); // FAT entry of the root directory's cluster in the first FAT
            file.writeInt(0);
        }
        Command check = Command.run(dir, List.of("fsck.fat", "-n", partition.toString()));
        assertThat(check.exitCode()).as(check.output()).isNotZero();
    }

    @Test
    void mtoolsListAndReadTheFiles() throws IOException {
        String image = disk.path() + "@@1M";
        assertThat(mtools("mdir", "-i", image, "::/EFI/BOOT"))
                .containsPattern("BOOTX64\\s+EFI\\s+" + Files.size(SYSTEMD_BOOT));
        assertThat(mtools("mdir", "-i", image, "::/loader"))
                .containsPattern("(?m)^ENTRIES\\s+<DIR>.*entries$")
                .containsPattern("(?m)^LOADER~1\\s+CON\\s+.*loader\\.conf$");
        assertThat(mtools("mtype", "-i", image, "::/loader/loader.conf"))
                .isEqualTo("default i2kit.conf\ntimeout 0\neditor no\n");
        assertThat(mtools("mtype", "-i", image, "::/loader/entries/i2kit.conf"))
                .isEqualTo("title i2kit\nlinux /i2kit/vmlinuz\ninitrd /i2kit/initrd\noptions " + CMDLINE + "\n");
        mtools("mcopy", "-n", "-i", image, "::/i2kit/vmlinuz", "::/i2kit/initrd", "::/EFI/BOOT/BOOTX64.EFI",
                dir.toString());
        assertThat(Files.mismatch(dir.resolve("vmlinuz"), KERNEL)).isEqualTo(-1);
        assertThat(Files.mismatch(dir.resolve("initrd"), initrd)).isEqualTo(-1);
        assertThat(Files.mismatch(dir.resolve("BOOTX64.EFI"), SYSTEMD_BOOT)).isEqualTo(-1);
    }

    @Test
    void unwrittenSpaceStaysAHole() {
        long allocated = Long.parseLong(Command.ok(dir, "stat", "-c", "%b", disk.path().toString()).trim()) * 512;
        assertThat(allocated).isLessThan(disk.contentBytes() + (8L << 20));
        assertThat(disk.sizeBytes()).isEqualTo(1L << 30);
    }

    @Test
    void bootsUnderOvmf() throws IOException {
        Path vars = Files.copy(Path.of("/usr/share/OVMF/OVMF_VARS_4M.fd"), dir.resolve("vars.fd"),
                StandardCopyOption.REPLACE_EXISTING);
        List<String> command = List.of("qemu-system-x86_64",
                "-drive", "if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,file=" + vars,
                // snapshot=on: whatever firmware or boot loader write goes to a throw-away overlay.
                "-drive", "file=" + disk.path() + ",format=raw,if=virtio,snapshot=on",
                "-nographic", "-no-reboot", "-m", "256", "-nic", "none");
        try (SerialConsole console = SerialConsole.start(command)) {
            if (!console.awaitLine(MARKER, 300)) {
                fail("no \"%s\" on the console of %s within 300 s; its last lines:%n%s", MARKER, command,
                        console.tail(40));
            }
        }
    }

    private static Path extractPartition(String name) {
        Path partition = dir.resolve(name);
        Command.ok(dir, "dd", "if=" + disk.path(), "of=" + partition, "bs=1M", "skip=1",
                "count=" + (disk.partitionBytes() >> 20), "conv=sparse", "status=none");
        return partition;
    }

    private static String mtools(String... command) {
        Command result = Command.run(dir, List.of(command), MTOOLS);
        assertThat(result.exitCode()).as("%s: %s", List.of(command), result.output()).isZero();
        return result.output();
    }
}
