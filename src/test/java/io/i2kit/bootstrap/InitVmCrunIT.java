package io.i2kit.bootstrap;

/**
 * Every check of {@link InitVmIT} on a VM as the offline profile's images boot: crun as the only
 * runtime, and the initramfs kept as the root (no copy into a tmpfs).
 */
class InitVmCrunIT extends InitVmIT {
    @Override
    String runtime() {
        return "crun";
    }

    @Override
    boolean rootCopy() {
        return false;
    }
}
