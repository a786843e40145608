package io.i2kit.provider.local.vm;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running QEMU VM, started by {@link VmLauncher} or found again with {@link #adopt}. QEMU runs in
 * a session of its own, so it outlives whoever started it until {@link #stop} is called: the
 * supervisor owns VMs across its own restarts, the CLI never does.
 */
public final class QemuVm implements Vm {
    private static final int TAIL_BYTES = 64 * 1024;

    private final String name;
    private final Path workDir;
    private final ProcessHandle process;
    private final List<Integer> ports;
    private final Accelerator accelerator;

    QemuVm(String name, Path workDir, ProcessHandle process, List<Integer> ports, Accelerator accelerator) {
        this.name = name;
        this.workDir = workDir;
        this.process = process;
        this.ports = List.copyOf(ports);
        this.accelerator = accelerator;
    }

    /**
     * The VM whose files are in {@code workDir}, if its QEMU still runs: the pid file names a live
     * process whose command line uses this directory's console. Anything else (no pid file, a dead
     * or reused pid) is empty, and nothing is signalled.
     */
    public static Optional<Vm> adopt(Path workDir) {
        Path dir = workDir.toAbsolutePath().normalize();
        Optional<Long> pid = readPid(dir.resolve(QemuCommand.PID));
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        Optional<ProcessHandle> handle = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
        Optional<VmProcessInfo> info = VmProcessInfo.read(pid.get()).filter(i -> i.isVmOf(dir));
        if (handle.isEmpty() || info.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(of(dir, handle.get(), info.get()));
    }

    /**
     * Every QEMU whose console file lies in a work directory directly under {@code dir}, by the
     * processes' command lines (the proof {@link #adopt} also asks for), pid file or not.
     */
    public static List<Vm> runningIn(Path dir) {
        Path parent = dir.toAbsolutePath().normalize();
        List<Vm> found = new java.util.ArrayList<>();
        ProcessHandle.allProcesses().filter(ProcessHandle::isAlive).forEach(p -> VmProcessInfo.read(p.pid())
                .flatMap(VmProcessInfo::consoleDir)
                .filter(workDir -> parent.equals(workDir.getParent()))
                .ifPresent(workDir -> VmProcessInfo.read(p.pid()).filter(i -> i.isVmOf(workDir))
                        .ifPresent(info -> found.add(of(workDir, p, info)))));
        return found;
    }

    private static QemuVm of(Path dir, ProcessHandle handle, VmProcessInfo info) {
        List<String> args = info.arguments();
        int nameAt = args.indexOf("-name");
        String name = nameAt >= 0 && nameAt + 1 < args.size() ? args.get(nameAt + 1) : dir.getFileName().toString();
        return new QemuVm(name, dir, handle, List.copyOf(info.hostPorts().keySet()),
                args.contains("-enable-kvm") ? Accelerator.KVM : Accelerator.TCG);
    }

    private static Optional<Long> readPid(Path pidFile) {
        try {
            return Optional.of(Long.parseLong(Files.readString(pidFile).strip()));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public long pid() {
        return process.pid();
    }

    @Override
    public Accelerator accelerator() {
        return accelerator;
    }

    /** The OS-level start time of QEMU, to tell it from a later process that reuses its pid. */
    @Override
    public Optional<java.time.Instant> startedAt() {
        return process.info().startInstant();
    }

    @Override
    public boolean alive() {
        return process.isAlive();
    }

    /** QEMU's user and system time, from {@code /proc}: under TCG, the guest's own work is QEMU's. */
    @Override
    public Optional<Duration> cpuTime() {
        return process.isAlive() ? ProcessCpu.read(pid()) : Optional.empty();
    }

    /** The guest ports the host reaches, each through {@link #socket}. */
    @Override
    public List<Integer> ports() {
        return ports;
    }

    /** The socket file (0600) that reaches {@code guestPort}, through a relay in the VM's network namespace. */
    @Override
    public Path socket(int guestPort) {
        if (!ports.contains(guestPort)) {
            throw new IllegalArgumentException("VM " + name + " does not expose guest port " + guestPort
                    + "; it exposes " + ports);
        }
        return QemuCommand.socket(workDir, guestPort);
    }

    /** QEMU's sockets (by inode) holding connections forwarded to {@code guestPort} now. */
    @Override
    public Set<Long> forwardedConnections(int guestPort) {
        return SlirpConnections.accepted(pid(), guestPort);
    }

    /**
     * QEMU's own state of each connection forwarded to {@code guestPort} that is not among
     * {@code before}: ESTABLISHED once the guest accepted it, SYN_SENT while the guest has not
     * answered (its network is not up). Connections QEMU already let go of are absent.
     */
    @Override
    public List<String> newForwardedConnectionStates(int guestPort, Set<Long> before) {
        Set<Long> now = new java.util.HashSet<>(forwardedConnections(guestPort));
        now.removeAll(before);
        return SlirpConnections.states(pid(), workDir.resolve(QemuCommand.QMP), now);
    }

    /** The guest's serial console, as QEMU writes it. */
    @Override
    public Path console() {
        return workDir.resolve(QemuCommand.CONSOLE);
    }

    @Override
    public List<Path> logs() {
        return List.of(console(), workDir.resolve(QemuCommand.QEMU_LOG));
    }

    /** The last {@code lines} lines of the console; empty before the guest printed anything. */
    @Override
    public String consoleTail(int lines) {
        return tail(console(), lines);
    }

    /** QEMU's own output (its errors, and those of the forward commands it runs). */
    @Override
    public String qemuLogTail(int lines) {
        return tail(workDir.resolve(QemuCommand.QEMU_LOG), lines);
    }

    /**
     * Asks QEMU to quit (SIGTERM), waits up to {@code grace}, then kills it; also kills the forward
     * commands QEMU started, which a killed QEMU would leave behind. Returns once all are gone.
     */
    @Override
    public void stop(Duration grace) {
        List<ProcessHandle> children = process.descendants().toList();
        if (process.isAlive()) {
            process.destroy();
            if (!awaitExit(grace)) {
                process.destroyForcibly();
                if (!awaitExit(Duration.ofSeconds(10))) {
                    throw new VmException("VM " + name + ": QEMU (pid " + pid() + ") survived SIGKILL for 10 s");
                }
            }
        }
        for (ProcessHandle child : children) {
            child.destroyForcibly();
        }
        for (ProcessHandle child : children) {
            try {
                child.onExit().get(5, TimeUnit.SECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // reported by whoever checks what is left; a relay also ends with its QEMU (pdeathsig)
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        try {
            Files.deleteIfExists(workDir.resolve(QemuCommand.PID));
        } catch (IOException e) {
            // A stale pid file is harmless: adopt checks the process's command line.
        }
    }

    /** Waits for QEMU to exit; false if it still runs after {@code timeout}. */
    @Override
    public boolean awaitExit(Duration timeout) {
        try {
            process.onExit().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return !process.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    static String tail(Path file, int lines) {
        if (!Files.exists(file)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long start = Math.max(0, f.length() - TAIL_BYTES);
            byte[] bytes = new byte[(int) (f.length() - start)];
            f.seek(start);
            f.readFully(bytes);
            List<String> all = List.of(new String(bytes, StandardCharsets.ISO_8859_1).replace("\r", "").split("\n"));
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String toString() {
        return "VM " + name + " (pid " + pid() + ", " + workDir + ")";
    }
}
