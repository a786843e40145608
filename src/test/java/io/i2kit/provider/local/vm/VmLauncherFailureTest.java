package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM whose namespaces cannot be created, as on a host that forbids unprivileged user namespaces:
 * an unshare that fails the way util-linux's does there. QEMU never runs.
 */
class VmLauncherFailureTest {
    @TempDir
    Path dir;

    @Test
    void anUnshareThatFailsIsNamedWithHowToAllowUserNamespaces() throws Exception {
        Path unshare = dir.resolve("unshare");
        Files.writeString(unshare, "#!/bin/sh\necho 'unshare: write failed /proc/self/uid_map: Operation not permitted' >&2\nexit 1\n");
        unshare.toFile().setExecutable(true);
        HostTools real = QemuCommandTest.TOOLS;
        VmLauncher launcher = new VmLauncher(new HostTools(real.qemu(), real.socat(), Optional.of(unshare), real.setpriv(), real.ip()));

        assertThatThrownBy(() -> launcher.start(new VmSpec("denied", dir.resolve("vmlinuz"), dir.resolve("initrd"),
                "console=ttyS0", 128, 1, List.of(80), List.of(), Optional.empty(), dir.resolve("vm"), Accelerator.TCG)))
                .isInstanceOf(VmException.class)
                .hasMessageStartingWith("VM denied: QEMU exited with status 1")
                .hasMessageContaining("unshare: write failed /proc/self/uid_map: Operation not permitted")
                .hasMessageEndingWith("\nhint: unshare could not create the VM's namespaces (a network namespace, and for"
                        + " a user other than root a user namespace); for a user other than root this host must allow"
                        + " unprivileged user namespaces: the README's \"Without root\" says how (for example Ubuntu's"
                        + " kernel.apparmor_restrict_unprivileged_userns)");
    }
}
