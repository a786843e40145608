package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs one stack operation per item, a few at a time: service stacks depend only on the
 * environment stack, never on each other. A failure does not stop the others (CloudFormation
 * finishes what it started anyway); once all are done, every failure is reported together.
 */
final class ParallelStacks {
    // CloudFormation runs the stacks; a few threads only poll it. More would mostly add throttling.
    private static final int THREADS = 4;

    private final Consumer<String> log;

    ParallelStacks(Consumer<String> log) {
        this.log = log;
    }

    /** The results in the items' order; throws after all finished if any failed. */
    <T, R> List<R> run(List<T> items, Function<T, R> operation) {
        List<Attempt<R>> attempts = attempt(items, operation);
        throwIfFailed(attempts.stream().map(Attempt::failure).filter(f -> f != null).toList());
        return attempts.stream().map(Attempt::result).toList();
    }

    /** How one operation ended: its result, or what it threw. */
    record Attempt<R>(R result, RuntimeException failure) {
        boolean failed() {
            return failure != null;
        }
    }

    /** Every operation's end in the items' order, once all finished, failed ones included. */
    <T, R> List<Attempt<R>> attempt(List<T> items, Function<T, R> operation) {
        if (items.isEmpty()) {
            return List.of();
        }
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(THREADS, items.size()), r -> {
            Thread t = new Thread(r, "i2kit-stack");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<R>> futures = new ArrayList<>();
            items.forEach(item -> futures.add(pool.submit(() -> operation.apply(item))));
            List<Attempt<R>> attempts = new ArrayList<>();
            for (Future<R> f : futures) {
                try {
                    attempts.add(new Attempt<>(f.get(), null));
                } catch (ExecutionException e) {
                    attempts.add(new Attempt<>(null, e.getCause() instanceof RuntimeException r ? r : new I2kitException(
                            String.valueOf(e.getCause().getMessage()), e.getCause())));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new I2kitException("interrupted while waiting for stacks; CloudFormation carries on with "
                            + "what it started", e);
                }
            }
            return attempts;
        } finally {
            pool.shutdownNow();
        }
    }

    private void throwIfFailed(List<RuntimeException> failures) {
        if (failures.size() == 1) {
            throw failures.get(0);
        }
        if (failures.size() > 1) {
            StringBuilder message = new StringBuilder(failures.size() + " stacks failed:");
            failures.forEach(f -> message.append("\n  - ").append(f.getMessage()));
            log.accept("i2kit: " + failures.size() + " stacks failed");
            throw new I2kitException(message.toString(), failures.get(0));
        }
    }
}
