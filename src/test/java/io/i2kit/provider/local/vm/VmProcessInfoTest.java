package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class VmProcessInfoTest {
    private static final VmSpec SPEC = QemuCommandTest.spec(List.of(80, 8081), List.of(), Optional.empty());
    private static final VmProcessInfo QEMU = new VmProcessInfo(
            QemuCommand.qemu(SPEC, QemuCommandTest.TOOLS));

    @Test
    void recognisesTheVmByTheConsoleInItsWorkDirectory() {
        assertThat(QEMU.isVmOf(QemuCommandTest.DIR)).isTrue();
        assertThat(QEMU.isVmOf(Path.of("/var/lib/i2kit/vms/web-1/../web-1"))).isTrue();
        assertThat(QEMU.isVmOf(Path.of("/var/lib/i2kit/vms/web-2"))).isFalse();
        assertThat(QEMU.isVmOf(Path.of("/var/lib/i2kit/vms"))).as("a parent directory is another VM's").isFalse();
        assertThat(new VmProcessInfo(List.of("vim", "/var/lib/i2kit/vms/web-1/console.log")).isVmOf(QemuCommandTest.DIR))
                .as("a process that merely mentions the file").isFalse();
        assertThat(new VmProcessInfo(List.of("qemu-system-x86_64", "-serial", "file:/var/lib/i2kit/vms/web-1/console.log"))
                .isVmOf(QemuCommandTest.DIR)).as("a VM of an earlier i2kit, with its console on -serial file:").isTrue();
    }

    @Test
    void readsTheHostPortsBackFromTheCommandLine() {
        assertThat(QEMU.hostPorts()).containsExactly(Map.entry(80, 80), Map.entry(8081, 8081));
    }

    @Test
    void readsThisProcesssCommandLineAndNothingForAMissingPid() {
        assertThat(VmProcessInfo.read(ProcessHandle.current().pid())).hasValueSatisfying(i ->
                assertThat(i.arguments().get(0)).contains("java"));
        assertThat(VmProcessInfo.read(Long.MAX_VALUE)).isEmpty();
    }
}
