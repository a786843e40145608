package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.provider.local.Status;
import io.i2kit.oci.store.I2kitHome;
import java.util.Optional;

/** The application a command names with -f, and what runs of it locally. */
final class RunningApplication {
    private RunningApplication() {
    }

    static String name(ApplicationOptions app) {
        return Pipeline.load(app.file, Optional.empty()).manifest().application().name();
    }

    static Status status(ApplicationOptions app) {
        String name = name(app);
        return new LocalProvider(I2kitHome.fromEnvironment()).status(name).orElseThrow(() ->
                new I2kitException("application " + name + " is not running locally; start it with: i2kit up -f " + app.file));
    }
}
