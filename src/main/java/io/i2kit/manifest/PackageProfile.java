package io.i2kit.manifest;

import java.util.Locale;
import java.util.Optional;

/** Which base packages (kernel, init, runtime) every image of the application is built from. */
public enum PackageProfile {
    /** Built by {@code i2kit bootstrap} from Debian's packages; needs no registry. The default. */
    OFFLINE,
    /** LinuxKit's own packages from Docker Hub, as in the paper's Figure 6. */
    LINUXKIT;

    public static Optional<PackageProfile> parse(String text) {
        for (PackageProfile p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
