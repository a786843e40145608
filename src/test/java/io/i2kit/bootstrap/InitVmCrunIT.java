package io.i2kit.bootstrap;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/**
 * Every check of {@link InitVmIT} on a VM as the offline profile's images boot: crun as the only
 * runtime, and the initramfs kept as the root (no copy into a tmpfs).
 */
class InitVmCrunIT extends InitVmIT {
    @BeforeAll
    static void boot() throws IOException {
        bootWith("crun", false);
    }

    @Override
    String runtime() {
        return "crun";
    }
}
