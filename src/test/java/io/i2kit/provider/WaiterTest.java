package io.i2kit.provider;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.i2kit.provider.Waiter.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class WaiterTest {
    /** Time that passes only when the waiter pauses; records each pause. */
    private static final class FakeClock implements Waiter.Clock {
        long now = 1_000_000_000L;
        final List<Duration> pauses = new ArrayList<>();

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void sleep(Duration pause) {
            pauses.add(pause);
            now += pause.toNanos();
        }
    }

    private final FakeClock clock = new FakeClock();

    @Test
    void returnsTheFirstDoneOutcomeBackingOffUpToTheMaxInterval() {
        AtomicInteger checks = new AtomicInteger();
        Waiter waiter = new Waiter(Duration.ofMinutes(1), Duration.ofMillis(100), Duration.ofMillis(500)).withClock(clock);

        Outcome<String> outcome = waiter.await(() -> checks.incrementAndGet() < 6 ? Outcome.retry("not yet")
                : Outcome.done("ready"));

        assertThat(outcome).isEqualTo(Outcome.done("ready"));
        assertThat(clock.pauses).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(400),
                Duration.ofMillis(500), Duration.ofMillis(500));
    }

    @Test
    void theDefaultFirstIntervalIsShort() {
        new Waiter(Duration.ofMinutes(1), Duration.ofSeconds(1)).withClock(clock).await(() -> Outcome.retry("no"));

        assertThat(clock.pauses.get(0)).isEqualTo(Duration.ofMillis(25));
    }

    @Test
    void aFailureEndsTheWaitAtOnce() {
        Outcome<Object> outcome = new Waiter(Duration.ofMinutes(1), Duration.ofSeconds(1)).withClock(clock)
                .await(() -> Outcome.failed("exited with status 1"));

        assertThat(outcome.state()).isEqualTo(Outcome.State.FAILED);
        assertThat(outcome.reason()).isEqualTo("exited with status 1");
        assertThat(clock.pauses).isEmpty();
    }

    @Test
    void timesOutWithTheLastReasonNeverPausingPastTheDeadline() {
        AtomicInteger checks = new AtomicInteger();
        Waiter waiter = new Waiter(Duration.ofSeconds(1), Duration.ofMillis(300), Duration.ofMillis(300)).withClock(clock);

        Outcome<Object> outcome = waiter.await(() -> Outcome.retry("attempt " + checks.incrementAndGet()));

        assertThat(outcome.state()).isEqualTo(Outcome.State.TIMED_OUT);
        assertThat(outcome.reason()).isEqualTo("attempt 5");
        assertThat(clock.pauses).containsExactly(Duration.ofMillis(300), Duration.ofMillis(300), Duration.ofMillis(300),
                Duration.ofMillis(100));
    }

    @Test
    void aZeroTimeoutChecksOnce() {
        AtomicInteger checks = new AtomicInteger();

        Outcome<Object> outcome = new Waiter(Duration.ZERO, Duration.ofSeconds(1)).withClock(clock)
                .await(() -> Outcome.retry("check " + checks.incrementAndGet()));

        assertThat(outcome.state()).isEqualTo(Outcome.State.TIMED_OUT);
        assertThat(checks).hasValue(1);
    }

    @Test
    void anInterruptEndsTheWaitAndKeepsTheFlag() {
        Waiter.Clock interrupting = new Waiter.Clock() {
            @Override
            public long nanoTime() {
                return 0;
            }

            @Override
            public void sleep(Duration pause) throws InterruptedException {
                throw new InterruptedException();
            }
        };
        try {
            Outcome<Object> outcome = new Waiter(Duration.ofMinutes(1), Duration.ofSeconds(1)).withClock(interrupting)
                    .await(() -> Outcome.retry("QEMU does not run the machine yet"));

            assertThat(outcome.state()).isEqualTo(Outcome.State.INTERRUPTED);
            assertThat(outcome.reason()).isEqualTo("interrupted while waiting: QEMU does not run the machine yet");
            assertThat(Thread.currentThread().isInterrupted()).isTrue();
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void refusesAMaxIntervalBelowTheFirst() {
        assertThatThrownBy(() -> new Waiter(Duration.ofMinutes(1), Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A signal raised between a check and the pause (here: during the check) is not lost. */
    @Test
    void aSignalRaisedDuringTheCheckEndsThePauseAtOnce() {
        Waiter.Signal signal = new Waiter.Signal();
        AtomicBoolean ready = new AtomicBoolean();
        Waiter waiter = new Waiter(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)).wakingOn(signal);

        Outcome<Boolean> outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> waiter.await(() -> {
            if (ready.get()) {
                return Outcome.done(true);
            }
            ready.set(true);
            signal.raise();
            return Outcome.retry("connections open");
        }));

        assertThat(outcome).isEqualTo(Outcome.done(true));
    }

    @Test
    void aSignalFromAnotherThreadWakesTheWaiter() throws InterruptedException {
        Waiter.Signal signal = new Waiter.Signal();
        AtomicBoolean ready = new AtomicBoolean();
        CountDownLatch checked = new CountDownLatch(1);
        Thread changer = new Thread(() -> {
            try {
                checked.await();
            } catch (InterruptedException e) {
                return;
            }
            ready.set(true);
            signal.raise();
        });
        changer.start();
        Waiter waiter = new Waiter(Duration.ofHours(1), Duration.ofHours(1), Duration.ofHours(1)).wakingOn(signal);

        Outcome<Boolean> outcome = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> waiter.await(() -> {
            checked.countDown();
            return ready.get() ? Outcome.done(true) : Outcome.retry("connections open");
        }));

        assertThat(outcome).isEqualTo(Outcome.done(true));
        changer.join(TimeUnit.SECONDS.toMillis(10));
    }
}
