package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe with the real QEMU and the VMs' real kernel, KVM swapped out by a wrapper: once run
 * under TCG (a KVM that works, only slower), once stopped before its first instruction (a KVM that
 * hangs, as on hosts whose /dev/kvm has no hardware virtualisation behind it).
 */
class AcceleratorProbeIT {
    private static final Path KERNEL = Path.of(".tools/kernel/vmlinuz").toAbsolutePath();

    @TempDir
    Path dir;

    private Path wrapper(String name, String replacement) throws IOException {
        Path qemu = HostTools.onPath(System.getenv("PATH")).qemu();
        Path script = dir.resolve(name);
        // Drops "-enable-kvm -cpu host" and puts the replacement in its place.
        Files.writeString(script, "#!/bin/sh\nfor a; do shift; case $a in -enable-kvm) set -- \"$@\" " + replacement
                + ";; -cpu|host) ;; *) set -- \"$@\" \"$a\";; esac; done\nexec " + qemu + " \"$@\"\n");
        script.toFile().setExecutable(true);
        return script;
    }

    @Test
    void theRealKernelReachesItsPanic() throws IOException {
        Path devKvm = Files.writeString(dir.resolve("kvm"), "");
        AcceleratorProbe probe = new AcceleratorProbe(wrapper("tcg", "-accel tcg"), devKvm, Duration.ofSeconds(60),
                Optional.empty());
        assertThat(probe.boot(KERNEL)).isEmpty();
    }

    @Test
    void aMachineThatNeverRunsGuestCodeIsCaught() throws IOException {
        Path devKvm = Files.writeString(dir.resolve("kvm"), "");
        AcceleratorProbe probe = new AcceleratorProbe(wrapper("stopped", "-S"), devKvm, Duration.ofSeconds(3),
                Optional.empty());
        assertThat(probe.boot(KERNEL)).hasValueSatisfying(why -> assertThat(why).contains("printed nothing within 3 s"));
    }
}
