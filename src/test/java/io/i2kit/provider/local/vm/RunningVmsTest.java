package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code down} and a resuming supervisor find an application's VMs by their processes' command
 * lines, so a VM whose supervisor died before writing its pid file is found too. Stand-in processes
 * carry a VM's console option in their command line (a shell ignores the extra arguments).
 */
class RunningVmsTest {
    @TempDir
    Path dir;

    @Test
    void aVmWithoutAPidFileIsFoundByItsCommandLineAndNothingElseIs() throws Exception {
        Path vms = Files.createDirectories(dir.resolve("apps/shop/vms"));
        Path mine = Files.createDirectories(vms.resolve("web-g1-r0"));
        Path elsewhere = Files.createDirectories(dir.resolve("apps/other/vms/web-g1-r0"));
        Process vm = standIn(mine, "web-g1-r0");
        Process other = standIn(elsewhere, "web-g1-r0");
        try {
            assertThat(mine.resolve(QemuCommand.PID)).doesNotExist();
            List<Vm> found = awaitFound(vms, 1);
            assertThat(found).extracting(Vm::name).containsExactly("web-g1-r0");
            assertThat(found.get(0).pid()).isEqualTo(vm.pid());
            assertThat(found.get(0).workDir()).isEqualTo(mine);
            assertThat(QemuVm.adopt(mine)).as("no pid file: adopt alone cannot find it").isEmpty();

            found.get(0).stop(Duration.ofSeconds(2));
            assertThat(vm.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(QemuVm.runningIn(vms)).isEmpty();
            assertThat(other.isAlive()).as("another application's VM is left alone").isTrue();
        } finally {
            vm.destroyForcibly();
            other.destroyForcibly();
        }
    }

    private static Process standIn(Path workDir, String name) throws Exception {
        return new ProcessBuilder("sh", "-c", "while :; do sleep 1; done", "qemu-system-x86_64", "-name", name,
                "-chardev", QemuCommand.consoleChardev(workDir), "-serial", "chardev:console").start();
    }

    private static List<Vm> awaitFound(Path vms, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        List<Vm> found = QemuVm.runningIn(vms);
        while (found.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
            found = QemuVm.runningIn(vms);
        }
        return found;
    }
}
