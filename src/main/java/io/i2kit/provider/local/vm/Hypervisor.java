package io.i2kit.provider.local.vm;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the supervisor needs of a hypervisor: start a VM, and find one again that an earlier
 * supervisor started. {@link VmLauncher} runs QEMU; tests run stand-ins that boot nothing.
 */
public interface Hypervisor {
    /** Starts {@code spec}'s VM and returns once its ports are reachable (not once the guest booted). */
    Vm start(VmSpec spec);

    /** The VM whose files are in {@code workDir}, if it still runs; nothing is signalled otherwise. */
    Optional<Vm> adopt(Path workDir);

    /**
     * Every VM still running whose work directory lies in {@code dir}, found by its process alone: one
     * started just before its supervisor died may have no pid file yet.
     */
    List<Vm> runningIn(Path dir);
}
