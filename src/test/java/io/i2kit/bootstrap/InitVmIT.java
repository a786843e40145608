package io.i2kit.bootstrap;

import io.i2kit.testing.QemuVm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots one pod VM under QEMU (TCG) with i2kit's init and checks each behaviour of the init in it:
 * one boot for all, since a boot costs seconds of a shared machine.
 *
 * Needs what scripts/setup.d/vm.sh installs: QEMU, busybox-static, runc, crun, cpio and Debian's
 * cloud kernel in .tools/kernel. {@code -Di2kit.vm.memory=MB} boots with another memory size. This
 * class boots with runc (what LinuxKit's runc package brings); {@link InitVmCrunIT} runs the same
 * checks with crun, the offline profile's runtime, and without the copy of the root.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class InitVmIT {
    private static final Path KERNEL = Path.of(".tools/kernel");
    private static final int MEMORY_MB = Integer.getInteger("i2kit.vm.memory", 128);
    private static final Duration BOOT = Duration.ofSeconds(120);
    private static final String HOSTS_LINE = "10.0.2.100 queue.polls.i2kit.internal queue";
    private static final String METADATA = "{\"i2kit\":{\"entries\":{"
            + "\"application\":{\"content\":\"polls\"},"
            + "\"service\":{\"content\":\"vote\"},"
            + "\"search\":{\"content\":\"polls.i2kit.internal\"},"
            + "\"hosts\":{\"content\":\"" + HOSTS_LINE + "\\n\"}}}}";

    @TempDir
    static Path dir;
    static QemuVm vm;

    /**
     * One VM per class, booted as {@link #runtime()} and {@link #rootCopy()} say: instance methods, so
     * that a subclass changes the boot by overriding them and never boots this class's VM as well.
     */
    @BeforeAll
    void boot() throws IOException {
        bootWith(runtime(), rootCopy());
    }

    /**
     * Boots the VM with {@code runtime} (runc or crun, copied from this host) as the image's only
     * runtime; {@code rootCopy} false lets the init keep the initramfs as its root.
     */
    private static void bootWith(String runtime, boolean rootCopy) throws IOException {
        Path modules = KERNEL.resolve("lib/modules");
        assertThat(KERNEL.resolve("vmlinuz")).as("the cloud kernel; run scripts/setup.d/vm.sh").exists();
        String version;
        try (var versions = Files.list(modules)) {
            version = versions.findFirst().orElseThrow().getFileName().toString();
        }
        // InitVmCrunIT inherits the static temporary directory: each boot works in its own
        Path work = Files.createTempDirectory(dir, runtime);
        Path escape = TestInitrd.compileStatic("chroot-escape.c", work);
        TestInitrd tree = new TestInitrd(work.resolve("root"));
        if (!rootCopy) {
            tree.withoutRootCopy();
        }
        Path initrd = tree
                .withInitFiles()
                .withBusybox()
                .withRuntime(runtime)
                .withModules(new KernelModules(modules.resolve(version)),
                        "virtio_pci", "virtio_net", "qemu_fw_cfg", "overlay")
                .withBundle("onboot", "000-marker", TestBundle.shell("marker",
                        "echo onboot begins; sleep 1; echo onboot ends"))
                .withBundle("services", "web", TestBundle.shell("web",
                        "echo hello-from-web > /www/index.html; exec httpd -f -p 80 -h /www").withTmpfs("/www"))
                // writable root (lower/ + overlay): fetches from its pod neighbour over 127.0.0.1
                .withBundle("services", "relay", TestBundle.shell("relay",
                        "httpd -p 8081 -h /www; while :; do printf 'GET / HTTP/1.0\\r\\n\\r\\n'"
                                + " | nc 127.0.0.1 80 > /www/next && mv /www/next /www/index.html; sleep 1; done")
                        .withWritableRoot())
                .withBundle("services", "discovery", TestBundle.shell("discovery",
                        "cat /etc/hosts /etc/resolv.conf /run/config/i2kit/service > /www/index.html;"
                                + " exec httpd -f -p 8082 -h /www").withTmpfs("/www").withBind("/run/config"))
                .withBundle("services", "crasher", TestBundle.shell("crasher", "echo started; sleep 2; exit 3"))
                // what the runtime gave it: capabilities, a read-only root, its cgroup (v2); and what
                // CAP_SYS_CHROOT lets it reach from its root
                .withBundle("services", "probe", TestBundle.shell("probe",
                        "{ grep CapEff /proc/self/status; touch /x 2>/dev/null && echo root-writable || echo root-read-only;"
                                + " cat /proc/self/cgroup; /bin/escape 2>&1; } > /www/index.html; exec httpd -f -p 8083 -h /www")
                        .withTmpfs("/www").withCapability("CAP_SYS_CHROOT").withFile("bin/escape", escape))
                .writeTo(work.resolve("initrd.gz"));
        Path metadata = Files.writeString(work.resolve("metadata.json"), METADATA);
        vm = QemuVm.boot(KERNEL.resolve("vmlinuz"), initrd, MEMORY_MB, List.of(80, 8081, 8082, 8083), metadata, work);
    }

    @AfterAll
    void kill() {
        if (vm != null) {
            vm.close();
        }
    }

    @Test
    @Order(1)
    void aServiceAnswersHttp() {
        String body = vm.await("HTTP from the web service", BOOT, () -> vm.get(80, "/"));
        System.out.printf("i2kit init VM (-m %d): HTTP %.1f s after QEMU started%n",
                MEMORY_MB, vm.sinceStart().toMillis() / 1000.0);
        assertThat(body).isEqualTo("hello-from-web\n");
    }

    @Test
    @Order(2)
    void podContainersShareTheNetwork() {
        String body = vm.await("the relay's copy of what web serves", BOOT,
                () -> vm.get(8081, "/").filter(b -> b.contains("hello-from-web")));
        assertThat(body).startsWith("HTTP/1.").contains("hello-from-web");
    }

    @Test
    @Order(3)
    void anExitedServiceIsRestarted() {
        String line = "i2kit: service crasher exited with status 3, restarting";
        String console = vm.await("two restarts of crasher", BOOT,
                () -> Optional.of(vm.console()).filter(c -> count(c, line) >= 2));
        assertThat(count(console, "[crasher] started")).isGreaterThanOrEqualTo(2);
    }

    @Test
    @Order(4)
    void metadataReachesContainers() {
        String body = vm.await("the discovery service's view of /etc", BOOT, () -> vm.get(8082, "/"));
        assertThat(body).contains(HOSTS_LINE + "\n")
                .contains("127.0.0.1")
                .containsPattern("(?m)^search polls\\.i2kit\\.internal( |$)")
                .containsPattern("(?m)^nameserver 10\\.0\\.2\\.3$")
                .endsWith("vote");
    }

    @Test
    @Order(5)
    void theRuntimeAppliesCapabilitiesTheReadOnlyRootAndACgroup() {
        String body = vm.await("the probe service's page", BOOT, () -> vm.get(8083, "/"));
        System.out.printf("probe service (%s): %s%n", runtime(), body.replace('\n', '|'));
        // TestBundle's set (CHOWN, DAC_OVERRIDE, FOWNER, KILL, SETGID, SETUID, NET_BIND_SERVICE) and SYS_CHROOT
        assertThat(body).contains("CapEff:\t00000000000404eb", "root-read-only", "0::/i2kit/probe");
        // the chroot escape climbs no higher than the container's own root: never the VM's root
        // (the initramfs, or the tmpfs it was copied into), which holds /init and every bundle
        assertThat(body).containsPattern("(?m)^escaped-root: .*\\bwww\\b").doesNotContain("containers", "init");
        assertThat(vm.console()).containsPattern("i2kit: init on \\S+, runtime " + runtime());
    }

    /** The runtime the VM boots with (copied from this host), as the init names it. */
    String runtime() {
        return "runc";
    }

    /** Whether the init copies the initramfs into a tmpfs (false: it keeps it as its root). */
    boolean rootCopy() {
        return true;
    }

    @Test
    @Order(6)
    void onbootRunsToCompletionBeforeServices() {
        String console = vm.await("services started", BOOT,
                () -> Optional.of(vm.console()).filter(c -> c.contains("i2kit: started 5 services")));
        int ends = console.indexOf("[marker] onboot ends");
        assertThat(ends).as("the onboot container's last line").isPositive();
        assertThat(console.indexOf("[marker] onboot begins")).isBetween(0, ends);
        assertThat(console).contains("i2kit: onboot marker: exited with status 0");
        assertThat(console.indexOf("i2kit: service ")).isGreaterThan(ends);
        Matcher memory = Pattern.compile("memory used (\\d+) MiB of (\\d+) MiB").matcher(console);
        assertThat(memory.find()).isTrue();
        System.out.printf("i2kit init VM (-m %d): %s%n", MEMORY_MB, memory.group());
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + 1)) {
            count++;
        }
        return count;
    }
}
