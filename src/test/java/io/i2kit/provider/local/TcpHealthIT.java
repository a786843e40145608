package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.bootstrap.KernelModules;
import io.i2kit.bootstrap.TestInitrd;
import io.i2kit.manifest.Health;
import io.i2kit.provider.local.lb.Backend;
import io.i2kit.provider.local.lb.HealthChecker;
import io.i2kit.provider.local.lb.ProbeResult;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmLauncher;
import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TCP health check against a guest whose network comes up late and whose service, silent like
 * redis, listens later still: hostfwd holds the connection open the whole time, yet the check must
 * fail until the service really accepts. The same probe without QEMU's view would have passed.
 */
class TcpHealthIT {
    private static final Path KERNEL = Path.of(".tools/kernel");
    private static final int PORT = 6379;

    @TempDir
    Path dir;

    @Test
    void passesOnlyOnceTheGuestsServiceAcceptsTheConnection() throws Exception {
        Path modules = KERNEL.resolve("lib/modules");
        String version;
        try (var versions = Files.list(modules)) {
            version = versions.findFirst().orElseThrow().getFileName().toString();
        }
        Path root = dir.resolve("root");
        Path initrd = new TestInitrd(root).withBusybox()
                .withModules(new KernelModules(modules.resolve(version)), "virtio_pci", "virtio_net")
                .writeTo(dir.resolve("plain.gz"));
        // The init: no network for 15 s, then nothing listening for 10 s, then a silent server.
        Files.writeString(root.resolve("init"), """
                #!/bin/busybox sh
                mount -t proc proc /proc; mount -t sysfs sysfs /sys; mount -t devtmpfs dev /dev
                d=/lib/modules/$(uname -r); for m in $(cat $d/i2kit.load); do insmod $d/$m; done
                echo "late: network in 15 s"; sleep 15
                ip link set lo up; ip addr add 10.0.2.15/24 dev eth0; ip link set eth0 up
                echo "late: network up, listening in 10 s"; sleep 10
                echo "late: listening"; exec nc -ll -p %d -e /bin/cat
                """.formatted(PORT));
        root.resolve("init").toFile().setExecutable(true);
        initrd = new TestInitrd(root).writeTo(dir.resolve("late.gz"));

        VmLauncher launcher = VmLauncher.create();
        Path kernel = KERNEL.resolve("vmlinuz");
        Accelerator accelerator = launcher.chooseAccelerator(Accelerator.Mode.AUTO, kernel, Optional.empty()).accelerator();
        Vm vm = launcher.start(new VmSpec("late", kernel, initrd, "console=ttyS0 panic=-1", 128, 1, List.of(PORT),
                List.of(), Optional.empty(), dir.resolve("vm"), accelerator));
        ScheduledExecutorService scheduler = HealthChecker.newScheduler(1);
        try {
            Health tcp = new Health(Health.Kind.TCP, PORT, null, Duration.ofSeconds(1), Duration.ofSeconds(3), 1, 1,
                    Duration.ZERO);
            HealthChecker checker = new HealthChecker(tcp, scheduler);
            Backend truthful = BalancerTranslator.backend("late", vm);
            Backend blind = new Backend("late", truthful.endpoints(), Optional.empty());

            await(vm, "late: network in");
            ProbeResult early = checker.probe(truthful);
            assertThat(early.passed()).as("before the guest's network is up: %s", early.detail()).isFalse();
            assertThat(checker.probe(blind).passed()).as("the blind probe is fooled by hostfwd").isTrue();

            await(vm, "late: network up");
            ProbeResult refused = checker.probe(truthful);
            assertThat(refused.passed()).as("network up, nothing listening: %s", refused.detail()).isFalse();

            await(vm, "late: listening");
            ProbeResult accepted = null;
            for (int i = 0; i < 20 && (accepted == null || !accepted.passed()); i++) {
                accepted = checker.probe(truthful);
            }
            assertThat(accepted.passed()).as("the silent server accepted: %s", accepted.detail()).isTrue();
            assertThat(accepted.detail()).contains("the guest accepted");
        } finally {
            scheduler.shutdownNow();
            vm.stop(Duration.ZERO);
        }
    }

    private static void await(Vm vm, String line) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (!vm.consoleTail(50).contains(line)) {
            if (System.nanoTime() > deadline || !vm.alive()) {
                throw new AssertionError("no \"" + line + "\" on the console:\n" + vm.consoleTail(30));
            }
            Thread.sleep(200);
        }
    }
}
