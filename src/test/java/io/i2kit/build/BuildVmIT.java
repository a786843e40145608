package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.discovery.BootMetadata;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.InlineManifest;
import io.i2kit.testing.QemuVm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots what {@code i2kit build} wrote, under QEMU (TCG): one VM of a three-container pod from the
 * kernel+initrd output, one from the raw-efi disk with UEFI firmware. Answers are checked over
 * HTTP through forwarded ports (an answer, not a connect: hostfwd accepts connections early).
 */
class BuildVmIT {
    private static final Duration BOOT = Duration.ofSeconds(Long.getLong("i2kit.it.boot", 180));
    @TempDir
    static Path dir;
    static Path out;

    @BeforeAll
    static void build() throws Exception {
        Path home = BootstrappedHome.get().root();
        String web = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        InlineManifest.app(dir, """
                name: podtest
                services:
                  pod:
                    containers:
                      web:
                        image: %1$s
                        ports: [80]
                      relay:
                        image: %1$s
                        # Shares the VM's network: fetches the web container's page from 127.0.0.1.
                        command: ["/bin/busybox", "sh", "-c", "mkdir -p /tmp/w && cp /etc/hosts /tmp/w/hosts.txt && cp /etc/resolv.conf /tmp/w/resolv.txt && until printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc 127.0.0.1 80 > /tmp/w/fromweb.txt && grep -q '200 OK' /tmp/w/fromweb.txt; do sleep 1; done; exec httpd -f -p 8081 -h /tmp/w"]
                        ports: [8081]
                      crasher:
                        image: %1$s
                        command: ["/bin/busybox", "sh", "-c", "echo crasher started; sleep 2; exit 3"]
                  queue:
                    containers:
                      redis:
                        image: %1$s
                        ports: ["tcp:6379"]
                """.formatted(web));
        out = dir.resolve("out");
        Cli.Run run = Cli.run(home, "build", "-f", dir.toString(), "--format", "kernel+initrd,raw-efi", "--service", "pod",
                "--out", out.toString()).assertSuccess();
        assertThat(run.out()).contains("pod: ");
        Files.writeString(dir.resolve("metadata.json"), new BootMetadata("podtest", "pod", "podtest.i2kit.internal",
                List.of(new BootMetadata.Host("10.0.2.100", List.of("queue.podtest.i2kit.internal", "queue")))).toJson());
    }

    @Test
    void kernelAndInitrdBootAPodThatSharesTheNetworkSeesDiscoveryAndIsSupervised() throws Exception {
        Path vm = Files.createDirectories(dir.resolve("vm-initrd"));
        try (QemuVm qemu = QemuVm.boot(out.resolve("pod-kernel"), out.resolve("pod-initrd.img"),
                Files.readString(out.resolve("pod-cmdline")).strip(), 256, List.of(80, 8081),
                dir.resolve("metadata.json"), vm)) {
            String page = qemu.await("the web container's page", BOOT,
                    () -> qemu.get(80, "/").filter(b -> b.contains("Served from a LinuxKit VM")));
            assertThat(page).contains("i2kit web example");
            String fetched = qemu.await("the relay's copy of the web page", BOOT, () -> qemu.get(8081, "/fromweb.txt"));
            assertThat(fetched).as("a container reaches its pod's other container on 127.0.0.1")
                    .contains("Served from a LinuxKit VM");
            assertThat(qemu.get(8081, "/hosts.txt")).hasValueSatisfying(hosts ->
                    assertThat(hosts).contains("10.0.2.100 queue.podtest.i2kit.internal queue"));
            assertThat(qemu.get(8081, "/resolv.txt")).hasValueSatisfying(resolv ->
                    assertThat(resolv).contains("search podtest.i2kit.internal"));
            qemu.await("the crasher restarted twice", BOOT, () -> Optional.of(qemu.console())
                    .filter(c -> c.split("service crasher exited with status 3, restarting", -1).length > 2));
        }
    }

    @Test
    void theRawEfiDiskBootsWithUefiFirmware() throws Exception {
        Path vm = Files.createDirectories(dir.resolve("vm-efi"));
        try (QemuVm qemu = QemuVm.bootEfi(out.resolve("pod-efi.img"), 256, List.of(80), null, vm)) {
            qemu.await("the web container's page from the UEFI-booted disk", BOOT,
                    () -> qemu.get(80, "/").filter(b -> b.contains("Served from a LinuxKit VM")));
        }
    }
}
