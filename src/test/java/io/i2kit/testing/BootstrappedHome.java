package io.i2kit.testing;

import io.i2kit.bootstrap.Bootstrap;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.nio.file.Path;

/**
 * One {@code $I2KIT_HOME} with the offline base packages and the example images, shared by every
 * test that builds or boots images in this run (the bootstrap is the slow part; a rerun finds
 * everything unchanged). Downloads are cached in {@code .tools/deb-cache} across runs.
 */
public final class BootstrappedHome {
    public static final Path ROOT = Path.of("target/it-home").toAbsolutePath();
    public static final Path DEB_CACHE = Path.of(".tools/deb-cache").toAbsolutePath();
    public static final Path EXAMPLE_IMAGES = Path.of("examples/images").toAbsolutePath();
    private static I2kitHome home;

    private BootstrappedHome() {
    }

    public static synchronized I2kitHome get() {
        if (home == null) {
            home = bootstrap(ROOT, true);
        }
        return home;
    }

    /** Bootstraps {@code root} (and the example images when asked) from the shared download cache. */
    public static I2kitHome bootstrap(Path root, boolean examples) {
        I2kitHome h = new I2kitHome(root);
        Bootstrap.Options options = Bootstrap.Options.defaults().withDebCache(DEB_CACHE);
        Bootstrap.run(h, examples ? options.withExamples(EXAMPLE_IMAGES) : options, Progress.NONE);
        return h;
    }
}
