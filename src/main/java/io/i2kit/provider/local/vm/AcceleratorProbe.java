package io.i2kit.provider.local.vm;

import io.i2kit.oci.Digest;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Decides whether KVM runs Linux on this host. A readable {@code /dev/kvm} proves nothing: on some
 * hosts QEMU opens it, the firmware runs, and the kernel hangs before printing anything; on others
 * QEMU aborts setting up the CPU. So the probe boots the very kernel the VMs use, with no initrd, and
 * waits for the panic it must reach ("not syncing: VFS"), about a second under working KVM. The
 * verdict is cached per host boot, QEMU version and kernel digest, so only the first command pays.
 */
final class AcceleratorProbe {
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(15);
    private static final String PANIC = "Kernel panic";
    static final Path DEV_KVM = Path.of("/dev/kvm");
    private static final Path BOOT_ID = Path.of("/proc/sys/kernel/random/boot_id");
    private static final int TAIL_LINES = 5;

    private final Path qemu;
    private final Path devKvm;
    private final Duration timeout;
    private final Optional<Path> cacheDir;

    AcceleratorProbe(Path qemu, Path devKvm, Duration timeout, Optional<Path> cacheDir) {
        this.qemu = qemu;
        this.devKvm = devKvm;
        this.timeout = timeout;
        this.cacheDir = cacheDir;
    }

    static AcceleratorProbe of(Path qemu, Optional<Path> cacheDir) {
        return new AcceleratorProbe(qemu, DEV_KVM, DEFAULT_TIMEOUT, cacheDir);
    }

    /** Applies {@code mode}; a forced {@code kvm} that cannot work fails here, before any VM starts. */
    Accelerator.Choice choose(Accelerator.Mode mode, Path kernel) {
        if (mode == Accelerator.Mode.TCG) {
            return new Accelerator.Choice(Accelerator.TCG, Optional.empty());
        }
        Optional<String> broken = kvmProblem(kernel);
        if (broken.isEmpty()) {
            return new Accelerator.Choice(Accelerator.KVM, Optional.empty());
        }
        if (mode == Accelerator.Mode.KVM) {
            throw forcedKvm(broken.get());
        }
        return new Accelerator.Choice(Accelerator.TCG, broken);
    }

    /** Empty when KVM boots Linux here, else why not. */
    Optional<String> kvmProblem(Path kernel) {
        Optional<String> device = deviceProblem(devKvm);
        if (device.isPresent()) {
            return device;
        }
        Optional<String> key = cacheKey(kernel);
        Optional<ProbeCache.Verdict> cached = key.flatMap(k -> cacheDir.flatMap(dir -> new ProbeCache(dir).read(k)));
        if (cached.isPresent()) {
            return cached.get().problem();
        }
        Optional<String> problem = boot(kernel);
        key.ifPresent(k -> cacheDir.ifPresent(dir -> new ProbeCache(dir).write(k, new ProbeCache.Verdict(problem))));
        return problem;
    }

    static VmException forcedKvm(String problem) {
        return new VmException("KVM was asked for (--accel kvm or I2KIT_ACCEL=kvm), but " + problem
                + "; use --accel tcg or auto");
    }

    /** Why {@code /dev/kvm} cannot even be opened, if so. */
    static Optional<String> deviceProblem(Path devKvm) {
        if (!Files.exists(devKvm)) {
            return Optional.of(devKvm + " does not exist (no KVM on this host)");
        }
        if (!Files.isReadable(devKvm) || !Files.isWritable(devKvm)) {
            return Optional.of(devKvm + " is not readable and writable by this user (add it to the kvm group)");
        }
        return Optional.empty();
    }

    /** Boots {@code kernel} under KVM with no initrd; empty once it panicked as it must. */
    Optional<String> boot(Path kernel) {
        List<String> command = List.of(qemu.toString(), "-enable-kvm", "-cpu", "host", "-m", "128", "-nodefaults",
                "-display", "none", "-no-reboot", "-serial", "stdio", "-kernel", kernel.toString(),
                "-append", "console=ttyS0 quiet panic=-1");
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            return Optional.of("QEMU could not be started for the KVM probe: " + e.getMessage());
        }
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<Boolean> panicked = CompletableFuture.supplyAsync(() -> readUntilPanic(process.getInputStream(), tail));
        try {
            if (panicked.get(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                return Optional.empty();
            }
            process.waitFor(5, TimeUnit.SECONDS);
            return Optional.of("QEMU exited " + (process.isAlive() ? "" : "with status " + process.exitValue() + " ")
                    + "before the kernel ran under KVM" + lastLines(tail));
        } catch (TimeoutException e) {
            return Optional.of("the kernel printed nothing within " + timeout.toSeconds()
                    + " s under KVM (it hangs there; a /dev/kvm without working hardware virtualisation does this)"
                    + lastLines(tail));
        } catch (ExecutionException e) {
            return Optional.of("the KVM probe failed: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("the KVM probe was interrupted");
        } finally {
            process.destroyForcibly();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static boolean readUntilPanic(InputStream out, Deque<String> tail) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(out, StandardCharsets.ISO_8859_1))) {
            for (String line; (line = reader.readLine()) != null; ) {
                if (line.contains(PANIC)) {
                    return true;
                }
                synchronized (tail) {
                    tail.addLast(line.strip());
                    if (tail.size() > TAIL_LINES) {
                        tail.removeFirst();
                    }
                }
            }
        } catch (IOException e) {
            // the process was killed: a hang, reported by the caller's timeout
        }
        return false;
    }

    private static String lastLines(Deque<String> tail) {
        synchronized (tail) {
            List<String> lines = tail.stream().filter(l -> !l.isEmpty()).toList();
            return lines.isEmpty() ? "" : " (QEMU said: " + String.join(" / ", lines) + ")";
        }
    }

    /** Host boot, QEMU version and kernel digest: what the verdict depends on. Empty if any is unreadable. */
    private Optional<String> cacheKey(Path kernel) {
        try {
            String bootId = Files.readString(BOOT_ID).strip();
            Process version = new ProcessBuilder(qemu.toString(), "--version").redirectErrorStream(true).start();
            String qemuVersion = new String(version.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines()
                    .findFirst().orElse("").strip();
            if (!version.waitFor(10, TimeUnit.SECONDS) || version.exitValue() != 0) {
                return Optional.empty();
            }
            return Optional.of(bootId + " " + Digest.of(qemuVersion.getBytes(StandardCharsets.UTF_8)) + " " + kernelDigest(kernel));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private static String kernelDigest(Path kernel) throws IOException {
        MessageDigest digest = Digest.sha256();
        try (InputStream in = Files.newInputStream(kernel)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return Digest.of(digest).toString();
    }
}
