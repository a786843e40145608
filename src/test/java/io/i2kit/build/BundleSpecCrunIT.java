package io.i2kit.build;

/** The checks of {@link BundleSpecRuncIT} under Debian's crun: the config.json i2kit writes suits both runtimes. */
class BundleSpecCrunIT extends BundleSpecRuncIT {
    @Override
    String runtime() {
        return "crun";
    }
}
