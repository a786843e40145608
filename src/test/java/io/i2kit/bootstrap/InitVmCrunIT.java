package io.i2kit.bootstrap;

import java.io.IOException;
import org.junit.jupiter.api.BeforeAll;

/** Every check of {@link InitVmIT} on a VM whose only runtime is crun, as in the offline profile's images. */
class InitVmCrunIT extends InitVmIT {
    @BeforeAll
    static void boot() throws IOException {
        bootWith("crun");
    }

    @Override
    String runtime() {
        return "crun";
    }
}
