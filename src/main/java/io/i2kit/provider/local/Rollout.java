package io.i2kit.provider.local;

import io.i2kit.event.Event;
import io.i2kit.oci.Digest;
import io.i2kit.provider.local.DesiredState.ServiceState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The rollouts of one apply, as one change: every changed service rolls out at once (they depend on
 * no other: discovery goes through the load balancers); when one fails, the others give up at their
 * next step, and {@link #back} returns every service the apply changed to where it stood, version,
 * generation and count, whether it had moved, was moving or had not started. A service the apply
 * added is stopped. The {@link Result} says what became of each, and where a rollback failed too,
 * what runs there now.
 */
final class Rollout {
    /** A service the apply changes: where it stands (empty when the apply adds it) and where it goes. */
    record Change(ServiceRuntime runtime, Optional<ServiceRuntime.Checkpoint> before, ServiceState after) {
        String name() {
            return after.name();
        }
    }

    /** What became of one service ({@code rolled back to g1 (…)}), and why ({@code the rollout of audit failed}). */
    record Fate(String service, Kind kind, String outcome, String why) {
        enum Kind { UPDATED, FAILED, ROLLED_BACK, NOT_ROLLED_BACK, KEPT }

        String line() {
            return service + ": " + outcome + (why.isEmpty() ? "" : ": " + why);
        }
    }

    /** Every changed service's fate, in the order of the manifest. */
    record Result(List<Fate> fates) {
        Result {
            fates = List.copyOf(fates);
        }

        boolean failed() {
            return fates.stream().anyMatch(f -> f.kind() != Fate.Kind.UPDATED);
        }

        Result with(List<Fate> more) {
            List<Fate> all = new ArrayList<>(fates);
            all.addAll(more);
            return new Result(all);
        }

        /** The error an apply ends with: the services that failed, and what became of every other it changed. */
        String message() {
            long stuck = fates.stream().filter(f -> f.kind() == Fate.Kind.NOT_ROLLED_BACK).count();
            String head = stuck == 0 ? "the update failed and every service it changed was rolled back:"
                    : "the update failed and " + stuck + (stuck == 1 ? " service" : " services")
                    + " could not be rolled back (the others were):";
            return head + "\n  " + String.join("\n  ", fates.stream().filter(f -> f.kind() != Fate.Kind.UPDATED)
                    .map(Fate::line).toList());
        }
    }

    private final List<Change> changes;
    /** The first service whose rollout failed: every other one gives up once it is set. */
    private final AtomicReference<String> firstFailure = new AtomicReference<>();
    private final Map<String, String> failures = new ConcurrentHashMap<>();
    private final Map<String, String> abandoned = new ConcurrentHashMap<>();

    Rollout(List<Change> changes) {
        this.changes = List.copyOf(changes);
    }

    /** Rolls every change out at once; on the first failure the others stop at their next step. */
    Result forward(Consumer<Event.Note> progress) {
        inParallel(change -> {
            try {
                change.runtime().rollTo(change.after(), progress, () -> Optional.ofNullable(firstFailure.get())
                        .map(failed -> "stopped because the rollout of " + failed + " failed"));
            } catch (RolloutAbandoned e) {
                abandoned.put(change.name(), e.getMessage());
            } catch (RuntimeException e) {
                failures.put(change.name(), e.getMessage() == null ? e.toString() : e.getMessage());
                firstFailure.compareAndSet(null, change.name());
            }
            return null;
        });
        return new Result(changes.stream().map(c -> failures.containsKey(c.name())
                ? new Fate(c.name(), Fate.Kind.FAILED, "failed", failures.get(c.name()))
                : abandoned.containsKey(c.name()) ? new Fate(c.name(), Fate.Kind.FAILED, "stopped", abandoned.get(c.name()))
                : new Fate(c.name(), Fate.Kind.UPDATED, "updated", "")).toList());
    }

    /**
     * After a failed {@link #forward}: every change back where it stood, at once; a service the apply
     * added goes to {@code discard}, which stops and forgets it.
     */
    Result back(Consumer<Event.Note> progress, Consumer<String> discard) {
        String cause = String.join(" and ", changes.stream().map(Change::name).filter(failures::containsKey).toList());
        List<Fate> fates = inParallel(change -> {
            Fate fate = backOne(change, cause, progress, discard);
            progress.accept(new Event.Note(Event.Phase.DEPLOY, Event.Level.WARNING, Optional.of(change.name()),
                    fate.outcome() + (fate.why().isEmpty() ? "" : ": " + fate.why())));
            return fate;
        });
        return new Result(fates);
    }

    private Fate backOne(Change change, String cause, Consumer<Event.Note> progress, Consumer<String> discard) {
        String name = change.name();
        boolean failed = failures.containsKey(name);
        Fate.Kind kind = failed ? Fate.Kind.FAILED : Fate.Kind.ROLLED_BACK;
        String what = failed ? "failed, " : "rolled back, ";
        String why = failed ? failures.get(name)
                : abandoned.containsKey(name) ? "its rollout was stopped because the rollout of " + cause + " failed"
                : "it had moved, but the rollout of " + cause + " failed";
        if (change.before().isEmpty()) {
            discard.accept(name);
            return new Fate(name, kind, what + "new in this update: stopped and removed", why);
        }
        ServiceRuntime.Checkpoint to = change.before().get();
        String where = (to.generation() > 0 ? "g" + to.generation() : "its previous version") + " ("
                + Digest.shortForm(to.state().image()) + ", "
                + to.state().replicas() + (to.state().replicas() == 1 ? " VM" : " VMs") + ")";
        ServiceRuntime runtime = change.runtime();
        if (runtime.standsAt(to)) {
            return new Fate(name, kind, what + "still on " + where, why);
        }
        try {
            runtime.rollBack(to, progress);
            return new Fate(name, kind, what + "back on " + where, why);
        } catch (RuntimeException e) {
            return new Fate(name, Fate.Kind.NOT_ROLLED_BACK, (failed ? "failed, " : "") + "NOT back on " + where
                    + ", running " + runtime.running() + " (g" + to.generation() + " runs the previous version, any other "
                    + Digest.shortForm(change.after().image()) + " of this update)",
                    why + "; then its rollback failed: " + e.getMessage());
        }
    }

    /** {@code work} on every change at once, its results in the order of the changes. */
    private <T> List<T> inParallel(Function<Change, T> work) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, changes.size()));
        try {
            List<Future<T>> futures = changes.stream().map(c -> pool.submit(() -> work.apply(c))).toList();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                try {
                    results.add(f.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new io.i2kit.I2kitException("interrupted while rolling out", e);
                } catch (ExecutionException e) {
                    throw new io.i2kit.I2kitException("a rollout failed unexpectedly: " + e.getCause(), e.getCause());
                }
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
