package io.i2kit.provider.local;

import io.i2kit.provider.local.vm.Hypervisor;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmException;
import io.i2kit.provider.local.vm.VmSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Starts {@link FakeVm}s and records what it was asked, in order: {@code start <id>},
 * {@code stop <id>} (a stop the supervisor asked for, not a VM that died), {@code cannot start <id>}.
 */
final class FakeHypervisor implements Hypervisor, AutoCloseable {
    private final List<String> events = new ArrayList<>();
    private final Map<Path, FakeVm> vms = new ConcurrentHashMap<>();
    private volatile int health = 200;
    private volatile boolean broken;
    private volatile Consumer<FakeVm> beforeStop = vm -> { };
    private volatile Consumer<FakeVm> afterStart = vm -> { };

    /** What {@code /health} of the VMs started from now on answers. */
    void health(int status) {
        health = status;
    }

    /** Whether starts fail from now on, as QEMU does without its kernel. */
    void broken(boolean broken) {
        this.broken = broken;
    }

    /** Runs on each VM the supervisor starts, once it started. */
    void afterStart(Consumer<FakeVm> action) {
        afterStart = action;
    }

    /** Runs as the supervisor stops a VM, before it goes. */
    void beforeStop(Consumer<FakeVm> action) {
        beforeStop = action;
    }

    @Override
    public Vm start(VmSpec spec) {
        if (broken) {
            record("cannot start " + spec.name());
            throw new VmException("VM " + spec.name() + ": QEMU exited with status 1 (a stand-in told to fail)");
        }
        FakeVm vm = leftRunning(spec);
        record("start " + spec.name());
        afterStart.accept(vm);
        return vm;
    }

    /** A VM as an earlier supervisor would have left it running: alive, but started by nobody here. */
    FakeVm leftRunning(VmSpec spec) {
        FakeVm[] self = new FakeVm[1];
        FakeVm vm = new FakeVm(spec, health, () -> {
            beforeStop.accept(self[0]);
            record("stop " + spec.name());
        });
        self[0] = vm;
        vms.put(spec.workDir(), vm);
        return vm;
    }

    @Override
    public Optional<Vm> adopt(Path workDir) {
        return Optional.ofNullable(vms.get(workDir.toAbsolutePath().normalize())).filter(FakeVm::alive).map(vm -> vm);
    }

    @Override
    public List<Vm> runningIn(Path dir) {
        Path parent = dir.toAbsolutePath().normalize();
        return vms.entrySet().stream().filter(e -> parent.equals(e.getKey().toAbsolutePath().normalize().getParent()))
                .map(Map.Entry::getValue).filter(FakeVm::alive).map(vm -> (Vm) vm).toList();
    }

    /** The VM named {@code id} (the last one of that name). */
    FakeVm vm(String id) {
        return vms.values().stream().filter(vm -> vm.name().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no VM " + id + " was started; events: " + events()));
    }

    synchronized List<String> events() {
        return List.copyOf(events);
    }

    private synchronized void record(String event) {
        events.add(event);
    }

    @Override
    public void close() {
        vms.values().forEach(FakeVm::kill);
    }
}
