package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Protocol;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/** Correctness under churn: a rolling replacement of backends while requests flow loses none. */
class LoadBalancerChurnTest {
    private static final int REQUESTS = 500;

    @Test
    void noRequestFailsWhileBackendsAreAddedAndDrained() throws Exception {
        ScheduledExecutorService scheduler = HealthChecker.newScheduler(2);
        ExecutorService churner = Executors.newSingleThreadExecutor();
        Deque<HttpBackend> live = new ArrayDeque<>();
        AtomicBoolean done = new AtomicBoolean();
        LoadBalancerConfig config = new LoadBalancerConfig("api",
                List.of(new Listener(8080, Protocol.HTTP, Endpoint.tcp(0), HttpBackend.INSTANCE_PORT)),
                Optional.of(HealthCheckerTest.http("/health")), LoadBalancerConfig.DEFAULT_NO_BACKEND_WAIT);
        try (LoadBalancer lb = LoadBalancer.open(config, scheduler, LoadBalancerListener.NONE)) {
            HttpBackend first = new HttpBackend("vm-0");
            live.add(first);
            lb.addBackend(first.backend());
            assertThat(lb.healthChecker().orElseThrow().awaitHealthy(first.backend(), Duration.ofSeconds(15)).passed()).isTrue();

            // The rolling update: start a VM, wait until it is in service, drain the oldest, stop it.
            CompletableFuture<Integer> replaced = CompletableFuture.supplyAsync(() -> {
                int generation = 0;
                try {
                    while (!done.get() && generation < 40) {
                        generation++;
                        HttpBackend next = new HttpBackend("vm-" + generation);
                        live.addLast(next);
                        lb.addBackend(next.backend());
                        lb.healthChecker().orElseThrow().awaitHealthy(next.backend(), Duration.ofSeconds(15));
                        HttpBackend oldest = live.pollFirst();
                        assertThat(lb.drain(oldest.name, Duration.ofSeconds(15)).drained()).isTrue();
                        oldest.close();
                    }
                    return generation;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, churner);

            Map<String, Integer> answers = new HashMap<>();
            int failures = 0;
            for (int i = 0; i < REQUESTS; i++) {
                String body = Client.get(lb.endpoints().get(8080), "/");
                if (body.startsWith("vm-")) {
                    answers.merge(body, 1, Integer::sum);
                } else {
                    failures++;
                }
            }
            done.set(true);
            int generations = replaced.get(60, TimeUnit.SECONDS);

            assertThat(failures).isZero();
            assertThat(answers.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(REQUESTS);
            assertThat(generations).isPositive();
            assertThat(answers.keySet()).hasSizeGreaterThan(1);
        } finally {
            done.set(true);
            churner.shutdownNow();
            assertThat(churner.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            for (HttpBackend backend : live) {
                backend.close();
            }
            scheduler.shutdownNow();
            assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
    }
}
