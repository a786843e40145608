package io.i2kit.image.disk;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.UUID;

/**
 * Writes the raw disk image an i2kit VM boots from with UEFI (and that the AWS provider uploads as
 * an AMI): a GPT disk with one FAT32 EFI system partition holding systemd-boot as the fallback
 * boot loader {@code /EFI/BOOT/BOOTX64.EFI}, the kernel and initrd under {@code /i2kit/}, and
 * systemd-boot's configuration, which boots the one entry at once.
 *
 * <p>The disk is a whole number of GiB, because EBS volumes are, and the GPT's backup header must
 * be in the volume's last sector. The partition starts at 1 MiB and fills the disk up to the last
 * MiB, which holds the backup GPT. The file is sparse: unwritten space stays a hole. The same
 * files, command line and seed give the same bytes; the seed (usually the image digest) also
 * makes the GUIDs and the volume ID.
 */
public final class EfiDiskWriter {
    /** The largest disk written; the initrd, loaded into memory at boot, is the bulk of it. */
    public static final long MAX_DISK_BYTES = 8L << 30;
    /** The disk size is a multiple of this. */
    public static final long DISK_GRANULE = 1L << 30;
    /** Room left free on the partition beyond the files. */
    static final long MIN_FREE_BYTES = 4L << 20;
    static final long PARTITION_OFFSET = 1L << 20;
    static final String LABEL = "I2KIT-EFI";
    static final String KERNEL_PATH = "i2kit/vmlinuz";
    static final String INITRD_PATH = "i2kit/initrd";
    static final String LOADER_CONF = "default i2kit.conf\ntimeout 0\n"
            // Nobody can type at a cloud VM's boot menu; refusing edits also keeps the command line as built.
            + "editor no\n";

    /** Writes the disk to {@code out} (replacing it atomically) and describes what was written. */
    public EfiDisk write(Path out, EfiBootFiles files, Digest seed, Progress progress) {
        List<FatEntry> entries = List.of(
                file("EFI/BOOT/BOOTX64.EFI", files.bootloader(), "boot loader"),
                file(KERNEL_PATH, files.kernel(), "kernel"),
                file(INITRD_PATH, files.initrd(), "initrd"),
                FatEntry.file("loader/loader.conf", text(LOADER_CONF)),
                FatEntry.file("loader/entries/i2kit.conf", text(bootEntry(files.cmdline()))));
        long contentBytes = entries.stream().mapToLong(e -> e.content().size()).sum();
        Fat32Writer fat = new Fat32Writer(entries, LABEL, Guids.deriveInt(seed, "esp-volume-id"));
        long diskBytes = diskBytesFor(fat.minimumBytes(), contentBytes, out);
        long partitionBytes = diskBytes - 2 * PARTITION_OFFSET;
        UUID diskGuid = Guids.derive(seed, "disk");
        UUID partitionGuid = Guids.derive(seed, "esp");
        long first = PARTITION_OFFSET / GptWriter.SECTOR;
        GptPartition esp = new GptPartition(GptPartition.EFI_SYSTEM, partitionGuid, first,
                first + partitionBytes / GptWriter.SECTOR - 1, "EFI System Partition");
        GptWriter gpt = new GptWriter(diskBytes / GptWriter.SECTOR, diskGuid, List.of(esp));

        String task = "efi-disk " + out.getFileName();
        progress.start(task, contentBytes);
        Path temp = null;
        try {
            Path dir = out.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            // Beside the target, so the rename is atomic; not createTempFile, whose owner-only mode would stick.
            temp = dir.resolve("." + out.getFileName() + "." + ProcessHandle.current().pid() + "."
                    + Long.toHexString(System.nanoTime()) + ".partial");
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                SparseWriter writer = new SparseWriter(channel);
                gpt.write(writer);
                fat.write(writer, PARTITION_OFFSET, partitionBytes, progress, task);
                writer.extendTo(diskBytes);
                channel.force(true);
            }
            Files.move(temp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            throw new I2kitException("could not write the EFI disk " + out + ": " + why
                    + "; hint: check free space and permissions in " + out.toAbsolutePath().getParent(), e);
        } finally {
            deleteQuietly(temp);
        }
        progress.finish(task, "wrote " + out + ": " + (diskBytes >> 20) + " MiB disk, " + mib(contentBytes)
                + " of files");
        return new EfiDisk(out, diskBytes, PARTITION_OFFSET, partitionBytes, contentBytes, diskGuid, partitionGuid);
    }

    /** The smallest whole number of GiB holding the GPT, the partition's minimum and free room. */
    static long diskBytesFor(long minimumPartitionBytes, long contentBytes, Path out) {
        long needed = minimumPartitionBytes + MIN_FREE_BYTES + 2 * PARTITION_OFFSET;
        long disk = (needed + DISK_GRANULE - 1) / DISK_GRANULE * DISK_GRANULE;
        if (disk > MAX_DISK_BYTES) {
            throw new I2kitException("cannot write the EFI disk " + out + ": its files take " + mib(contentBytes)
                    + " and need a disk of " + mib(needed) + ", more than the " + (MAX_DISK_BYTES >> 30)
                    + " GiB an i2kit EFI disk may have; hint: make the image smaller (the initrd holds every"
                    + " container's files and is loaded into memory at boot)");
        }
        return disk;
    }

    static String bootEntry(String cmdline) {
        return "title i2kit\nlinux /" + KERNEL_PATH + "\ninitrd /" + INITRD_PATH + "\noptions " + cmdline + "\n";
    }

    private static FatEntry file(String path, Path source, String what) {
        if (!Files.isRegularFile(source)) {
            throw new I2kitException("cannot write an EFI disk: the " + what + " " + source
                    + " is not a readable file; hint: check the path, or build the " + what + " first");
        }
        FatContent content;
        try {
            content = FatContent.of(source);
        } catch (java.io.UncheckedIOException e) {
            throw new I2kitException("cannot write an EFI disk: the " + what + " " + source + " cannot be read: "
                    + e.getCause().getMessage() + "; hint: check its permissions", e);
        }
        if (content.size() > FatPlanner.MAX_FILE_SIZE) {
            throw new I2kitException("cannot write an EFI disk: the " + what + " " + source + " has "
                    + mib(content.size()) + ", but a file on FAT32 holds less than 4 GiB; hint: make it smaller");
        }
        return FatEntry.file(path, content);
    }

    private static FatContent text(String text) {
        return FatContent.of(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String mib(long bytes) {
        return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    private static void deleteQuietly(Path temp) {
        if (temp != null) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // The write already failed; that error is the one to report.
            }
        }
    }
}
