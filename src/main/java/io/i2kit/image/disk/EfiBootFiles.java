package io.i2kit.image.disk;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What an EFI disk boots: a UEFI boot loader that reads systemd-boot's {@code loader/} files
 * (systemd-boot's {@code systemd-bootx64.efi}), a Linux kernel with its EFI stub, an initrd and the
 * kernel command line.
 */
public record EfiBootFiles(Path bootloader, Path kernel, Path initrd, String cmdline) {
    /** x86's COMMAND_LINE_SIZE is 2048 bytes including the terminating NUL. */
    public static final int MAX_CMDLINE_BYTES = 2047;

    public EfiBootFiles {
        Objects.requireNonNull(bootloader, "bootloader");
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(cmdline, "cmdline");
        if (cmdline.chars().anyMatch(c -> c < 0x20 || c > 0x7E)) {
            throw new IllegalArgumentException("kernel command line \"" + cmdline
                    + "\" must be printable ASCII on one line: it becomes the \"options\" line of a boot entry");
        }
        if (cmdline.length() > MAX_CMDLINE_BYTES) {
            throw new IllegalArgumentException("kernel command line has " + cmdline.length()
                    + " characters; Linux on x86 takes at most " + MAX_CMDLINE_BYTES);
        }
    }
}
