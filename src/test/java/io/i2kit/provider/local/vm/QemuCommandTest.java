package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    static final HostTools TOOLS = new HostTools(Path.of("/usr/bin/qemu-system-x86_64"),
            Optional.of(Path.of("/bin/busybox")), Optional.of(Path.of("/usr/bin/socat")));
    static final Path DIR = Path.of("/var/lib/i2kit/vms/web-1");

    static VmSpec spec(List<Integer> ports, List<GuestForward> forwards, Optional<String> metadata) {
        return spec(ports, forwards, metadata, Accelerator.TCG);
    }

    static VmSpec spec(List<Integer> ports, List<GuestForward> forwards, Optional<String> metadata, Accelerator accelerator) {
        return new VmSpec("web-1", Path.of("/images/web-kernel"), Path.of("/images/web-initrd.img"),
                "console=ttyS0 quiet panic=-1", 128, 2, ports, forwards, metadata, DIR, accelerator);
    }

    @Test
    void bootsTheKernelHeadlessWithTheConsoleInAFileAndNoReboot() {
        List<String> command = QemuCommand.of(spec(List.of(), List.of(), Optional.empty()), TOOLS, Map.of());
        assertThat(command).containsExactly("/usr/bin/qemu-system-x86_64", "-name", "web-1", "-m", "128", "-smp", "2",
                "-display", "none", "-monitor", "none", "-serial", "file:/var/lib/i2kit/vms/web-1/console.log",
                "-no-reboot", "-qmp", "unix:/var/lib/i2kit/vms/web-1/qmp.sock,server=on,wait=off",
                "-kernel", "/images/web-kernel", "-initrd", "/images/web-initrd.img",
                "-append", "console=ttyS0 quiet panic=-1", "-nic", "user,model=virtio-net-pci,restrict=on");
    }

    @Test
    void kvmOnlyWhenChosen() {
        assertThat(QemuCommand.of(spec(List.of(), List.of(), Optional.empty(), Accelerator.KVM), TOOLS, Map.of()))
                .containsSubsequence("-enable-kvm", "-cpu", "host");
        assertThat(QemuCommand.of(spec(List.of(), List.of(), Optional.empty(), Accelerator.TCG), TOOLS, Map.of()))
                .doesNotContain("-enable-kvm", "-cpu");
    }

    @Test
    void exposedPortsAreForwardedFromLoopbackAndDiscoveryGoesThroughPerConnectionCommands() {
        VmSpec spec = spec(List.of(80, 8081), List.of(
                new GuestForward("10.0.2.100", 6379, new GuestForward.HostPort(41_000)),
                new GuestForward("10.0.2.101", 5432, new GuestForward.UnixSocket(Path.of("/run/i2kit/db-5432.sock")))),
                Optional.empty());
        List<String> command = QemuCommand.of(spec, TOOLS, Map.of(80, 40_001, 8081, 40_002));
        assertThat(command.get(command.indexOf("-nic") + 1)).isEqualTo("user,model=virtio-net-pci,restrict=on"
                + ",hostfwd=tcp:127.0.0.1:40001-:80,hostfwd=tcp:127.0.0.1:40002-:8081"
                + ",guestfwd=tcp:10.0.2.100:6379-cmd:/bin/busybox nc 127.0.0.1 41000"
                + ",guestfwd=tcp:10.0.2.101:5432-cmd:/usr/bin/socat STDIO UNIX-CONNECT:/run/i2kit/db-5432.sock");
    }

    @Test
    void metadataIsAFwCfgFileInTheWorkDirectory() {
        List<String> command = QemuCommand.of(spec(List.of(), List.of(), Optional.of("{}")), TOOLS, Map.of());
        assertThat(command).endsWith("-fw_cfg", "name=opt/i2kit/metadata,file=/var/lib/i2kit/vms/web-1/metadata.json");
    }

    @Test
    void aMissingForwardProgramIsNamedWithItsPackage() {
        HostTools bare = new HostTools(TOOLS.qemu(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> QemuCommand.forwardCommand(new GuestForward.HostPort(1), bare))
                .hasMessageContaining("apt-get install busybox-static");
        assertThatThrownBy(() -> QemuCommand.forwardCommand(new GuestForward.UnixSocket(Path.of("/s")), bare))
                .hasMessageContaining("apt-get install socat");
    }

    @Test
    void socketPathsThatCannotPassThroughQemusOptionsAreRefused() {
        assertThatThrownBy(() -> new GuestForward.UnixSocket(Path.of("/run/a,b.sock"))).hasMessageContaining("characters");
        assertThatThrownBy(() -> new GuestForward.UnixSocket(Path.of("/run/" + "x".repeat(110))))
                .hasMessageContaining("107 bytes");
    }

    @Test
    void theDisplayedCommandQuotesWhatAShellWouldSplit() {
        assertThat(QemuCommand.display(List.of("qemu", "-append", "console=ttyS0 quiet", "it's")))
                .isEqualTo("qemu -append 'console=ttyS0 quiet' 'it'\\''s'");
    }
}
