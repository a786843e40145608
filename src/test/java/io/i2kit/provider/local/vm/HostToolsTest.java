package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HostToolsTest {
    @TempDir
    Path dir;

    @Test
    void withoutQemuOnThePathTheErrorSaysHowToInstallIt() {
        assertThatThrownBy(() -> HostTools.onPath(dir.toString()))
                .isInstanceOf(VmException.class)
                .hasMessage("qemu-system-x86_64 was not found on the PATH (" + dir + "); the local provider runs every VM"
                        + " with it. Install it with: apt-get install qemu-system-x86");
        assertThatThrownBy(() -> VmLauncher.create(dir.toString())).hasMessageContaining("apt-get install qemu-system-x86");
    }

    @Test
    void findsEachProgramInTheFirstDirectoryThatHasIt() throws Exception {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        executable(b.resolve("qemu-system-x86_64"));
        executable(a.resolve("socat"));
        executable(b.resolve("socat"));
        Files.writeString(a.resolve("unshare"), "not executable");
        HostTools tools = HostTools.onPath(a + ":" + b);
        assertThat(tools.qemu()).isEqualTo(b.resolve("qemu-system-x86_64"));
        assertThat(tools.socat()).contains(a.resolve("socat"));
        assertThat(tools.unshare()).isEmpty();
    }

    private static void executable(Path file) throws Exception {
        Files.writeString(file, "#!/bin/sh\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
}
