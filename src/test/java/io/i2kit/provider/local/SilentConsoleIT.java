package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A VM whose kernel never writes to the serial console is reported as silent, naming the
 * accelerator, instead of waiting out its health checks; one that prints is not. Real QEMU VMs: one
 * whose kernel logs to tty0 only (and then hangs in its panic, as a kernel stuck under a broken KVM
 * stays alive and silent), one that logs to the serial port.
 */
class SilentConsoleIT {
    private static final Path KERNEL = Path.of(".tools/kernel/vmlinuz");
    /** Started long enough ago for any threshold: the verdict then rests on the console alone. */
    private static final Instant LONG_AGO = Instant.now().minus(Duration.ofMinutes(10));

    @TempDir
    Path dir;

    private Vm boot(VmLauncher launcher, String name, String cmdline) {
        return launcher.start(new VmSpec(name, KERNEL, KERNEL, cmdline, 128, 1, List.of(), List.of(), Optional.empty(),
                dir.resolve(name), Accelerator.TCG));
    }

    @Test
    void aVmThatNeverPrintsIsReportedAndOneThatPrintsIsNot() throws Exception {
        VmLauncher launcher = VmLauncher.create();
        Vm silent = boot(launcher, "silent", "console=tty0");
        Vm talking = boot(launcher, "talking", "console=ttyS0");
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (talking.consoleTail(1).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(talking.consoleTail(1)).as("the serial console of the talking VM").isNotEmpty();
            assertThat(silent.alive()).as("the silent VM still runs").isTrue();

            Optional<String> report = new ReplicaWaiter(Timings.STANDARD).silentConsole(new Replica("silent-g1-r0", 1, silent, LONG_AGO));
            assertThat(report).hasValueSatisfying(why -> assertThat(why)
                    .startsWith("silent-g1-r0 printed nothing on its console in 60 s under TCG")
                    .contains("QEMU's own output"));
            assertThat(new ReplicaWaiter(Timings.STANDARD).silentConsole(new Replica("talking-g1-r0", 1, talking, LONG_AGO)))
                    .isEmpty();
            assertThat(new ReplicaWaiter(Timings.STANDARD).silentConsole(new Replica("silent-g1-r0", 1, silent, Instant.now())))
                    .as("a VM that just started has time yet").isEmpty();
        } finally {
            silent.stop(Duration.ZERO);
            talking.stop(Duration.ZERO);
        }
    }
}
