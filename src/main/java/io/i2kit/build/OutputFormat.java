package io.i2kit.build;

import java.util.Optional;

/** What {@code i2kit build --format} writes; file names follow LinuxKit's. */
public enum OutputFormat {
    /** {@code <service>-kernel}, {@code <service>-initrd.img}, {@code <service>-cmdline}. */
    KERNEL_INITRD("kernel+initrd"),
    /** {@code <service>-efi.img}: a GPT disk with a FAT32 EFI system partition and systemd-boot. */
    RAW_EFI("raw-efi");

    private final String spelling;

    OutputFormat(String spelling) {
        this.spelling = spelling;
    }

    public String spelling() {
        return spelling;
    }

    public static Optional<OutputFormat> parse(String text) {
        for (OutputFormat f : values()) {
            if (f.spelling.equals(text)) {
                return Optional.of(f);
            }
        }
        return Optional.empty();
    }
}
