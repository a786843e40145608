package io.i2kit.provider.local.vm;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A running VM as the supervisor sees it: whether it lives, how its load balancer reaches its
 * ports, what it printed, and how to stop it. {@link QemuVm} is the real one; tests use stand-ins
 * that serve on the same socket files without booting anything.
 */
public interface Vm {
    String name();

    /** Belongs to this VM alone: its console, its sockets, and what identifies it after a restart. */
    Path workDir();

    long pid();

    Accelerator accelerator();

    /** When the VM's process started, to tell it from a later process that reuses its pid. */
    Optional<Instant> startedAt();

    boolean alive();

    /**
     * The CPU time the VM's process has used so far (all its vCPUs and its own work), for the
     * autoscaler; empty when the hypervisor cannot say (the process is gone).
     */
    Optional<Duration> cpuTime();

    /** The guest ports the host reaches, each through {@link #socket}. */
    List<Integer> ports();

    /** The owner-only socket file that reaches {@code guestPort}. */
    Path socket(int guestPort);

    /** The hypervisor's connections (by an identity it keeps) forwarded to {@code guestPort} now. */
    Set<Long> forwardedConnections(int guestPort);

    /**
     * The state of each connection forwarded to {@code guestPort} that is not among {@code before}:
     * ESTABLISHED once the guest accepted it, SYN_SENT while the guest has not answered.
     */
    List<String> newForwardedConnectionStates(int guestPort, Set<Long> before);

    /** The guest's serial console, as the hypervisor writes it. */
    Path console();

    /** The last {@code lines} lines of the console; empty before the guest printed anything. */
    String consoleTail(int lines);

    /** The hypervisor's own output (its errors, and those of the forward commands it runs). */
    String qemuLogTail(int lines);

    /** The files the VM's processes keep appending to (console, the hypervisor's own log), for capping. */
    List<Path> logs();

    /** Asks the VM to quit, waits up to {@code grace}, then kills it; returns once it is gone. */
    void stop(Duration grace);

    /** Waits for the VM to exit; false if it still runs after {@code timeout}. */
    boolean awaitExit(Duration timeout);
}
