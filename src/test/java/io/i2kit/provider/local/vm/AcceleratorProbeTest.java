package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The KVM probe against stand-ins for QEMU: one that hangs, one that fails, one that boots. */
class AcceleratorProbeTest {
    @TempDir
    Path dir;
    Path kernel;
    Path devKvm;

    @BeforeEach
    void files() throws IOException {
        kernel = Files.writeString(dir.resolve("vmlinuz"), "a kernel");
        devKvm = Files.writeString(dir.resolve("kvm"), "");
    }

    /** A QEMU that answers --version and otherwise runs {@code body}. */
    private Path qemu(String name, String body) throws IOException {
        Path script = dir.resolve(name);
        Files.writeString(script, "#!/bin/sh\n[ \"$1\" = --version ] && { echo 'QEMU emulator version 7.2.0 (" + name
                + ")'; exit 0; }\necho \"$@\" >> " + dir.resolve(name + ".calls") + "\n" + body + "\n");
        script.toFile().setExecutable(true);
        return script;
    }

    private AcceleratorProbe probe(Path qemu, Duration timeout) {
        return new AcceleratorProbe(qemu, devKvm, timeout, Optional.of(dir.resolve("cache")));
    }

    @Test
    void aKernelThatReachesItsPanicProvesKvm() throws IOException {
        Path works = qemu("works", "echo 'SeaBIOS'; echo '[    0.9] Kernel panic - not syncing: VFS: Unable to mount root fs'; sleep 30");
        Accelerator.Choice choice = probe(works, Duration.ofSeconds(20)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(choice).isEqualTo(new Accelerator.Choice(Accelerator.KVM, Optional.empty()));
        assertThat(Files.readString(dir.resolve("works.calls"))).contains("-enable-kvm -cpu host")
                .contains("-kernel " + kernel).contains("panic=-1").doesNotContain("-initrd");
    }

    @Test
    void aKernelThatHangsFallsBackToTcgSayingWhy() throws IOException {
        Path hangs = qemu("hangs", "echo 'SeaBIOS (version 1.16.2)'; exec sleep 60");
        Accelerator.Choice choice = probe(hangs, Duration.ofSeconds(2)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(choice.reason().orElseThrow()).contains("printed nothing within 2 s under KVM").contains("SeaBIOS");
    }

    @Test
    void aQemuThatFailsFallsBackToTcgWithItsMessage() throws IOException {
        Path fails = qemu("fails", "echo 'qemu-system-x86_64: error: failed to set MSR 0x10a to 0x69' >&2; exit 134");
        Accelerator.Choice choice = probe(fails, Duration.ofSeconds(10)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(choice.accelerator()).isEqualTo(Accelerator.TCG);
        assertThat(choice.reason().orElseThrow()).contains("exited with status 134").contains("failed to set MSR");
    }

    @Test
    void forcedKvmFailsAtOnceWithTheReasonAndForcedTcgProbesNothing() throws IOException {
        Path fails = qemu("fails", "echo 'failed to set MSR' >&2; exit 1");
        assertThatThrownBy(() -> probe(fails, Duration.ofSeconds(10)).choose(Accelerator.Mode.KVM, kernel))
                .isInstanceOf(VmException.class).hasMessageContaining("KVM was asked for")
                .hasMessageContaining("failed to set MSR").hasMessageContaining("--accel tcg");
        Path never = qemu("never", "exit 1");
        assertThat(probe(never, Duration.ofSeconds(10)).choose(Accelerator.Mode.TCG, kernel))
                .isEqualTo(new Accelerator.Choice(Accelerator.TCG, Optional.empty()));
        assertThat(dir.resolve("never.calls")).doesNotExist();
    }

    @Test
    void withoutDevKvmNothingIsStarted() throws IOException {
        Files.delete(devKvm);
        Path never = qemu("never", "exit 1");
        Accelerator.Choice choice = probe(never, Duration.ofSeconds(10)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(choice.reason().orElseThrow()).contains("does not exist");
        assertThat(dir.resolve("never.calls")).doesNotExist();
        assertThatThrownBy(() -> probe(never, Duration.ofSeconds(10)).choose(Accelerator.Mode.KVM, kernel))
                .hasMessageContaining("does not exist");
    }

    @Test
    void theVerdictIsCachedPerKernelAndQemu() throws IOException {
        Path hangs = qemu("hangs", "exec sleep 60");
        assertThat(probe(hangs, Duration.ofSeconds(1)).choose(Accelerator.Mode.AUTO, kernel).accelerator())
                .isEqualTo(Accelerator.TCG);
        Accelerator.Choice again = probe(hangs, Duration.ofSeconds(1)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(again.reason().orElseThrow()).contains("printed nothing");
        assertThat(Files.readAllLines(dir.resolve("hangs.calls"))).as("one boot, then the cache").hasSize(1);
        assertThat(Files.getPosixFilePermissions(dir.resolve("cache").resolve(ProbeCache.FILE)))
                .extracting(Object::toString).allMatch(p -> p.startsWith("OWNER"));

        Files.writeString(kernel, "another kernel");
        probe(hangs, Duration.ofSeconds(1)).choose(Accelerator.Mode.AUTO, kernel);
        assertThat(Files.readAllLines(dir.resolve("hangs.calls"))).as("a new kernel is probed again").hasSize(2);
    }
}
