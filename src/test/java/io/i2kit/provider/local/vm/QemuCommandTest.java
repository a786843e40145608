package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class QemuCommandTest {
    static final HostTools TOOLS = new HostTools(Path.of("/usr/bin/qemu-system-x86_64"),
            Optional.of(Path.of("/usr/bin/socat")), Optional.of(Path.of("/usr/bin/unshare")),
            Optional.of(Path.of("/usr/bin/setpriv")), Optional.of(Path.of("/sbin/ip")));
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
        List<String> command = QemuCommand.qemu(spec(List.of(), List.of(), Optional.empty()), TOOLS);
        assertThat(command).containsExactly("/usr/bin/qemu-system-x86_64", "-name", "web-1", "-m", "128", "-smp", "2",
                "-display", "none", "-monitor", "none",
                "-chardev", "file,id=console,path=/var/lib/i2kit/vms/web-1/console.log,append=on", "-serial", "chardev:console",
                "-no-reboot", "-qmp", "unix:/var/lib/i2kit/vms/web-1/qmp.sock,server=on,wait=off",
                "-kernel", "/images/web-kernel", "-initrd", "/images/web-initrd.img",
                "-append", "console=ttyS0 quiet panic=-1", "-nic", "user,model=virtio-net-pci,restrict=on");
    }

    @Test
    void eachDataDiskIsAVirtioBlockDeviceWithItsSerial() {
        VmSpec spec = new VmSpec("db-g1-r0", Path.of("/k"), Path.of("/i"), "console=ttyS0", 128, 1, List.of(), List.of(),
                Optional.empty(), DIR, Accelerator.TCG, List.of(new VmSpec.Disk(Path.of("/h/volumes/db/r0/data.img"), "i2kit-v0"),
                        new VmSpec.Disk(Path.of("/h/volumes/db/r0/logs.img"), "i2kit-v1")));
        assertThat(QemuCommand.qemu(spec, TOOLS)).containsSubsequence(
                "-drive", "file=/h/volumes/db/r0/data.img,if=none,id=vol0,format=raw,discard=unmap",
                "-device", "virtio-blk-pci,drive=vol0,serial=i2kit-v0",
                "-drive", "file=/h/volumes/db/r0/logs.img,if=none,id=vol1,format=raw,discard=unmap",
                "-device", "virtio-blk-pci,drive=vol1,serial=i2kit-v1");
        assertThatThrownBy(() -> new VmSpec.Disk(Path.of("/h/a,b.img"), "i2kit-v0")).hasMessageContaining("comma");
        assertThatThrownBy(() -> new VmSpec.Disk(Path.of("/h/a.img"), "x".repeat(21))).hasMessageContaining("20");
    }

    @Test
    void kvmOnlyWhenChosen() {
        assertThat(QemuCommand.qemu(spec(List.of(), List.of(), Optional.empty(), Accelerator.KVM), TOOLS))
                .containsSubsequence("-enable-kvm", "-cpu", "host");
        assertThat(QemuCommand.qemu(spec(List.of(), List.of(), Optional.empty(), Accelerator.TCG), TOOLS))
                .doesNotContain("-enable-kvm", "-cpu");
    }

    @Test
    void exposedPortsAreForwardedInsideTheNamespaceAndDiscoveryGoesThroughPerConnectionCommands() {
        VmSpec spec = spec(List.of(80, 8081), List.of(
                new GuestForward("10.0.2.101", 5432, new GuestForward.UnixSocket(Path.of("/run/i2kit/db-5432.sock")))),
                Optional.empty());
        List<String> command = QemuCommand.qemu(spec, TOOLS);
        assertThat(command.get(command.indexOf("-nic") + 1)).isEqualTo("user,model=virtio-net-pci,restrict=on"
                + ",hostfwd=tcp:127.0.0.1:80-:80,hostfwd=tcp:127.0.0.1:8081-:8081"
                + ",guestfwd=tcp:10.0.2.101:5432-cmd:/usr/bin/socat STDIO UNIX-CONNECT:/run/i2kit/db-5432.sock");
    }

    @Test
    void qemuRunsInANetworkNamespaceOfItsOwnBehindOwnerOnlySockets() {
        VmSpec spec = spec(List.of(80), List.of(), Optional.empty());
        List<String> asRoot = QemuCommand.of(spec, TOOLS, true);
        assertThat(asRoot.subList(0, 5)).containsExactly("/usr/bin/unshare", "--net", "--", "/bin/sh", "-c");
        assertThat(asRoot.get(5)).isEqualTo("'/sbin/ip' link set lo up || exit 1\n"
                + "'/usr/bin/setpriv' --pdeathsig KILL '/usr/bin/socat' 'UNIX-LISTEN:/var/lib/i2kit/vms/web-1/port-80.sock,fork,mode=600,unlink-early'"
                + " TCP:127.0.0.1:80 </dev/null &\nexec \"$@\"\n");
        assertThat(asRoot.get(6)).as("$0 of the script").isEqualTo("i2kit-vm");
        assertThat(asRoot.subList(7, asRoot.size())).isEqualTo(QemuCommand.qemu(spec, TOOLS));
        assertThat(QemuCommand.of(spec, TOOLS, false).subList(0, 4))
                .as("anyone else maps themselves to root in a user namespace of their own")
                .containsExactly("/usr/bin/unshare", "--net", "--user", "--map-root-user");
    }

    @Test
    void metadataIsAFwCfgFileInTheWorkDirectory() {
        List<String> command = QemuCommand.qemu(spec(List.of(), List.of(), Optional.of("{}")), TOOLS);
        assertThat(command).endsWith("-fw_cfg", "name=opt/i2kit/metadata,file=/var/lib/i2kit/vms/web-1/metadata.json");
    }

    @Test
    void aMissingProgramIsNamedWithItsPackage() {
        HostTools bare = new HostTools(TOOLS.qemu(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
        assertThatThrownBy(() -> QemuCommand.forwardCommand(new GuestForward.UnixSocket(Path.of("/s")), bare))
                .hasMessageContaining("apt-get install socat");
        VmSpec spec = spec(List.of(), List.of(), Optional.empty());
        assertThatThrownBy(() -> QemuCommand.of(spec, bare, true)).hasMessageContaining("apt-get install util-linux");
        HostTools noIp = new HostTools(TOOLS.qemu(), TOOLS.socat(), TOOLS.unshare(), TOOLS.setpriv(), Optional.empty());
        assertThatThrownBy(() -> QemuCommand.of(spec, noIp, true)).hasMessageContaining("apt-get install iproute2");
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
