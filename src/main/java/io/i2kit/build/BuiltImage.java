package io.i2kit.build;

import io.i2kit.oci.Digest;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A built image in the build cache: its identity, its files and its record. {@code upToDate} says
 * the cache already held it, so nothing was built.
 */
public record BuiltImage(String service, Digest digest, Path kernel, Path initrd, String cmdline, Optional<Path> efi,
                         BuildRecord record, boolean upToDate) {
    static final String KERNEL = "kernel";
    static final String INITRD = "initrd.img";
    static final String CMDLINE = "cmdline";
    static final String EFI = "efi.img";
}
