package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.image.disk.SparseCopy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built image's files, out of the build cache into a directory of the user's ({@code i2kit build
 * --out}), under LinuxKit's names, the owner's only; sparse disks stay sparse.
 */
public final class ImageExport {
    private ImageExport() {
    }

    /** Copies the cached image's files under LinuxKit's names, each written whole then renamed. */
    public static List<String> export(BuiltImage image, Path out, boolean kernelInitrd, boolean rawEfi) {
        Map<Path, String> files = new LinkedHashMap<>();
        if (kernelInitrd) {
            files.put(image.kernel(), image.service() + "-kernel");
            files.put(image.initrd(), image.service() + "-initrd.img");
            files.put(image.kernel().resolveSibling("cmdline"), image.service() + "-cmdline");
        }
        if (rawEfi) {
            files.put(image.efi().orElseThrow(), image.service() + "-efi.img");
        }
        files.put(image.kernel().resolveSibling(BuildRecord.FILE), image.service() + "-build.json");
        files.put(image.kernel().resolveSibling("linuxkit.yml"), image.service() + ".yml");
        List<String> written = new ArrayList<>();
        try {
            OwnerOnly.directories(out);
            for (var e : files.entrySet()) {
                Path target = out.resolve(e.getValue());
                Path tmp = out.resolve("." + e.getValue() + ".tmp");
                SparseCopy.copy(e.getKey(), tmp);
                OwnerOnly.file(tmp);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                written.add(target.toString());
            }
        } catch (IOException e) {
            throw new I2kitException("cannot write the image of " + image.service() + " into " + out + ": " + e.getMessage(), e);
        }
        return written;
    }
}
