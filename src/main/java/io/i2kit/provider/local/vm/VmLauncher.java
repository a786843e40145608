package io.i2kit.provider.local.vm;

import io.i2kit.build.OwnerOnly;
import io.i2kit.provider.Waiter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts QEMU VMs with user-mode networking (no root, no bridges), each in a network namespace of
 * its own: exposed guest ports through {@code hostfwd} on that namespace's loopback and a relay from
 * an owner-only socket file per port, discovery through {@code guestfwd} commands, boot metadata
 * through fw_cfg. {@link #start} returns once QEMU has set up the machine and its network
 * (it answers {@code query-status} on QMP), not once the guest has booted: readiness of the
 * services inside is the caller's to check, with an answer rather than a TCP connect, since
 * hostfwd accepts connections before anything listens in the guest.
 */
public final class VmLauncher implements Hypervisor {
    /** How long QEMU may take to set up a machine, without booting it: well under a second normally. */
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(30);
    /** Root runs VMs in a plain network namespace; anyone else in a user namespace of their own too. */
    private static final boolean ROOT = isRoot();
    private static final int TAIL_LINES = 30;

    private final HostTools tools;

    VmLauncher(HostTools tools) {
        this.tools = tools;
    }

    /** Finds QEMU and the forward commands on this process's PATH. */
    public static VmLauncher create() {
        return create(System.getenv("PATH"));
    }

    /**
     * Fails with the install hint when QEMU is not on the PATH, without probing for KVM: what
     * {@code up} checks before it builds or starts anything.
     */
    public static void requireTools() {
        HostTools.onPath(System.getenv("PATH"));
    }

    /** Finds QEMU and the forward commands on {@code path}. */
    public static VmLauncher create(String path) {
        return new VmLauncher(HostTools.onPath(path));
    }

    /**
     * The accelerator for VMs booting {@code kernel}: {@code auto} boots it once under KVM to see
     * that KVM really runs Linux here (the verdict cached in {@code cacheDir}), forced modes obey.
     */
    public Accelerator.Choice chooseAccelerator(Accelerator.Mode mode, Path kernel, Optional<Path> cacheDir) {
        return AcceleratorProbe.of(tools.qemu(), cacheDir).choose(mode, kernel);
    }

    /** Fails at once when KVM is forced on a host without a usable {@code /dev/kvm}, before anything is built. */
    public static void requireAccelerator(Accelerator.Mode mode) {
        if (mode != Accelerator.Mode.KVM) {
            return;
        }
        AcceleratorProbe.deviceProblem(AcceleratorProbe.DEV_KVM).ifPresent(problem -> {
            throw AcceleratorProbe.forcedKvm(problem);
        });
    }

    @Override
    public Vm start(VmSpec spec) {
        prepare(spec);
        List<String> command = QemuCommand.of(spec, tools, ROOT);
        Process process = launch(spec, command);
        Waiter.Outcome<Boolean> setUp = awaitSetUp(spec, process);
        if (setUp.state() == Waiter.Outcome.State.DONE) {
            ownerOnlyQmp(spec);
            writePid(spec, process);
            return new QemuVm(spec.name(), spec.workDir(), process.toHandle(), spec.exposedPorts(), spec.accelerator());
        }
        kill(process);
        throw failure(spec, command, setUp.state() == Waiter.Outcome.State.TIMED_OUT
                ? "did not report the machine running on QMP within " + SETUP_TIMEOUT.toSeconds() + " s; killed it"
                : setUp.reason());
    }

    /** The QEMU whose files are in {@code workDir}, if it still runs: see {@link QemuVm#adopt}. */
    @Override
    public Optional<Vm> adopt(Path workDir) {
        return QemuVm.adopt(workDir);
    }

    @Override
    public List<Vm> runningIn(Path dir) {
        return QemuVm.runningIn(dir);
    }

    private void prepare(VmSpec spec) {
        try {
            OwnerOnly.directory(spec.workDir());
            if (QemuVm.adopt(spec.workDir()).isPresent()) {
                throw new VmException("VM " + spec.name() + ": a QEMU already runs with the work directory "
                        + spec.workDir() + "; stop it first");
            }
            for (String stale : List.of(QemuCommand.CONSOLE, QemuCommand.QEMU_LOG, QemuCommand.PID, QemuCommand.QMP)) {
                Files.deleteIfExists(spec.workDir().resolve(stale));
            }
            // Created here, 0600, since QEMU (console) and the redirect (QEMU's output) would create
            // them with the umask of whoever starts the VM; they keep the mode of a file that exists.
            OwnerOnly.create(spec.workDir().resolve(QemuCommand.CONSOLE));
            OwnerOnly.create(spec.workDir().resolve(QemuCommand.QEMU_LOG));
            for (int port : spec.exposedPorts()) {
                Files.deleteIfExists(QemuCommand.socket(spec.workDir(), port));
            }
            if (spec.metadata().isPresent()) {
                Files.writeString(OwnerOnly.create(spec.workDir().resolve(QemuCommand.METADATA)), spec.metadata().get());
            }
        } catch (IOException e) {
            throw new VmException("VM " + spec.name() + ": could not prepare its work directory " + spec.workDir()
                    + ": " + e.getMessage(), e);
        }
    }

    private static Process launch(VmSpec spec, List<String> command) {
        // setsid puts QEMU in a session of its own (it execs, so the pid stays QEMU's): a Ctrl-C or
        // hang-up aimed at the terminal of whoever started it does not reach the VM.
        List<String> detached = new ArrayList<>(List.of("setsid"));
        detached.addAll(command);
        try {
            return new ProcessBuilder(detached)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectErrorStream(true)
                    // appended to, so that capping it (truncating in place) leaves no hole in what follows
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(spec.workDir().resolve(QemuCommand.QEMU_LOG).toFile()))
                    .start();
        } catch (IOException e) {
            throw new VmException("VM " + spec.name() + ": could not run " + QemuCommand.display(command) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Until QEMU answers on QMP that the machine runs and every port's relay listens, or QEMU exits. */
    private static Waiter.Outcome<Boolean> awaitSetUp(VmSpec spec, Process process) {
        Path qmp = spec.workDir().resolve(QemuCommand.QMP);
        return new Waiter(SETUP_TIMEOUT, Duration.ofMillis(500)).await(() -> {
            if (spec.exposedPorts().stream().allMatch(p -> Files.exists(QemuCommand.socket(spec.workDir(), p)))
                    && QmpProbe.running(qmp, Duration.ofSeconds(1))) {
                return Waiter.Outcome.done(true);
            }
            return process.isAlive() ? Waiter.Outcome.retry("QEMU does not run the machine yet")
                    : Waiter.Outcome.failed("exited with status " + process.exitValue());
        });
    }

    /** QEMU binds its QMP socket with the umask's mode: 0600 like the rest (its directory is 0700 anyway). */
    private static void ownerOnlyQmp(VmSpec spec) {
        try {
            OwnerOnly.file(spec.workDir().resolve(QemuCommand.QMP));
        } catch (IOException e) {
            // the directory keeps others out; the mode is only the second fence
        }
    }

    private static void writePid(VmSpec spec, Process process) {
        Path pidFile = spec.workDir().resolve(QemuCommand.PID);
        try {
            Path tmp = Files.writeString(OwnerOnly.create(spec.workDir().resolve(QemuCommand.PID + ".tmp")), process.pid() + "\n");
            Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            kill(process);
            throw new VmException("VM " + spec.name() + ": could not write its pid file " + pidFile + ": "
                    + e.getMessage() + "; stopped it, since nobody could find it again", e);
        }
    }

    private static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")) == 0;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    private static VmException failure(VmSpec spec, List<String> command, String what) {
        String console = QemuVm.tail(spec.workDir().resolve(QemuCommand.CONSOLE), TAIL_LINES);
        String output = QemuVm.tail(spec.workDir().resolve(QemuCommand.QEMU_LOG), TAIL_LINES);
        return new VmException("VM " + spec.name() + ": QEMU " + what + "\ncommand: "
                + QemuCommand.display(command) + "\nQEMU's output ends with:\n" + orNothing(output)
                + (console.isBlank() ? "" : "\nthe console ends with:\n" + console) + namespaceHint(output));
    }

    /**
     * When unshare itself failed, most often because the host forbids unprivileged user namespaces
     * (Ubuntu 23.10 and later restrict them with AppArmor), which every VM of a user other than root needs.
     */
    static String namespaceHint(String output) {
        return output.lines().anyMatch(line -> line.startsWith("unshare: "))
                ? "\nhint: unshare could not create the VM's namespaces (a network namespace, and for a user other"
                        + " than root a user namespace); for a user other than root this host must allow unprivileged"
                        + " user namespaces: the README's \"Without root\" says how (for example Ubuntu's"
                        + " kernel.apparmor_restrict_unprivileged_userns)"
                : "";
    }

    private static String orNothing(String text) {
        return text.isBlank() ? "(nothing)" : text;
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
