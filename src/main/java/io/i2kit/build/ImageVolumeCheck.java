package io.i2kit.build;

import io.i2kit.manifest.Container;
import io.i2kit.manifest.Mount;
import io.i2kit.oci.ImageConfig;
import java.util.ArrayList;
import java.util.List;

/**
 * An image's {@code VOLUME} says where it keeps data worth keeping (redis:7 declares /data). In an
 * i2kit VM that path is part of the container's writable layer, a tmpfs that goes with the VM,
 * unless a mount (or a bind) covers it: that is worth a warning, not an error, as a cache or a
 * scratch directory may rightly be lost.
 */
final class ImageVolumeCheck {
    private ImageVolumeCheck() {
    }

    /** One warning per declared path of {@code image} that no mount or bind of {@code c} covers. */
    static List<String> uncovered(Container c, String reference, ImageConfig image) {
        List<String> covering = new ArrayList<>();
        c.mounts().stream().map(Mount::path).forEach(covering::add);
        for (String bind : c.binds()) {
            String[] parts = bind.split(":");
            if (parts.length >= 2) {
                covering.add(parts[1]);
            }
        }
        List<String> warnings = new ArrayList<>();
        for (String declared : image.volumes()) {
            if (covering.stream().noneMatch(p -> covers(p, declared))) {
                warnings.add("warning: container " + c.name() + ": image " + reference + " declares VOLUME " + declared
                        + ", which no mount covers: what it writes there is lost whenever the VM is replaced; "
                        + "add a volume to the service and mounts: [\"NAME:" + Mount.normalised(declared) + "\"] to keep it");
            }
        }
        return warnings;
    }

    /** {@code mount} at {@code declared} or above it. */
    static boolean covers(String mount, String declared) {
        String m = Mount.normalised(mount);
        String d = Mount.normalised(declared);
        return m.equals("/") || d.equals(m) || d.startsWith(m + "/");
    }
}
