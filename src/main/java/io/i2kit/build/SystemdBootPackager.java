package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry;
import io.i2kit.image.FileTree;
import io.i2kit.image.LayerApplier;
import io.i2kit.image.LayerUnpacker;
import io.i2kit.image.disk.EfiBootFiles;
import io.i2kit.image.disk.EfiDiskWriter;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Supplier;

/**
 * raw-efi with systemd-boot as the EFI loader, taken from the {@code systemd-boot} package image
 * (built from Debian's {@code systemd-boot-efi} by {@code i2kit bootstrap}); pulled only when a
 * disk is actually written.
 */
public final class SystemdBootPackager implements EfiPackager {
    static final String LOADER = "usr/lib/systemd/boot/efi/systemd-bootx64.efi";

    private final I2kitHome home;
    private final Supplier<PulledImage> image;

    public SystemdBootPackager(I2kitHome home, Supplier<PulledImage> image) {
        this.home = home;
        this.image = image;
    }

    @Override
    public void write(Path disk, Path kernel, Path initrd, String cmdline, Digest digest, Progress progress) {
        PulledImage pulled = image.get();
        FileTree tree = new LayerApplier().flatten(new LayerUnpacker(home.blobs(), home).unpack(pulled, progress));
        Entry loader = tree.get(LOADER).orElseThrow(() -> new I2kitException("image " + pulled.reference()
                + " has no /" + LOADER + "; rebuild it with i2kit bootstrap"));
        Path tmp = null;
        try {
            tmp = Files.createTempFile(disk.getParent(), "systemd-boot", ".efi");
            try (InputStream in = ((Entry.RegularFile) loader).content().open()) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            new EfiDiskWriter().write(disk, new EfiBootFiles(tmp, kernel, initrd, cmdline), digest, progress);
        } catch (IOException e) {
            throw new I2kitException("cannot write the raw-efi disk " + disk + ": " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // inside the build workspace, which is deleted after the build anyway
                }
            }
        }
    }
}
