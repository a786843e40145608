package io.i2kit.provider.local.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * KVM when it really works, else TCG. An accessible {@code /dev/kvm} is not enough: under some
 * nested hypervisors QEMU opens it and then aborts setting up the CPU ("failed to set MSR"), so a
 * short probe starts a stopped VM with KVM and asks it to quit over QMP on stdin.
 */
enum Accelerator {
    KVM, TCG;

    private static final Path DEV_KVM = Path.of("/dev/kvm");
    private static final long PROBE_SECONDS = 20;

    List<String> options() {
        return this == KVM ? List.of("-enable-kvm", "-cpu", "host") : List.of();
    }

    static Accelerator detect(Path qemu) {
        if (!Files.isReadable(DEV_KVM) || !Files.isWritable(DEV_KVM)) {
            return TCG;
        }
        return probe(qemu) ? KVM : TCG;
    }

    private static boolean probe(Path qemu) {
        try {
            Process p = new ProcessBuilder(qemu.toString(), "-enable-kvm", "-cpu", "host", "-m", "16", "-nodefaults",
                    "-display", "none", "-S", "-qmp", "stdio")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            try (var in = p.getOutputStream()) {
                in.write("{\"execute\":\"qmp_capabilities\"}\n{\"execute\":\"quit\"}\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            } catch (IOException e) {
                // QEMU died before reading: the exit status below says so.
            }
            if (!p.waitFor(PROBE_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
