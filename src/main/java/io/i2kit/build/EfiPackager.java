package io.i2kit.build;

import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import java.nio.file.Path;

/** Packages a built kernel and initrd as a bootable UEFI disk (raw-efi), its GUIDs derived from the image digest. */
@FunctionalInterface
public interface EfiPackager {
    void write(Path disk, Path kernel, Path initrd, String cmdline, Digest image, Progress progress);
}
