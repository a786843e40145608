package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ParallelStacksTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @Test
    void resultsComeInTheItemsOrderAndStacksRunTogether() {
        // Three operations that each wait for the other two to have started: only parallel runs finish.
        CountDownLatch started = new CountDownLatch(3);
        List<String> results = new ParallelStacks(log::add).run(List.of("a", "b", "c"), item -> {
            started.countDown();
            try {
                assertThat(started.await(10, TimeUnit.SECONDS)).as("all three running at once").isTrue();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return item.toUpperCase();
        });
        assertThat(results).containsExactly("A", "B", "C");
    }

    @Test
    void oneFailureDoesNotStopTheOthersAndIsRethrownAsItIs() {
        Set<String> done = ConcurrentHashMap.newKeySet();
        I2kitException failure = new I2kitException("creating stack b failed: no");
        assertThatThrownBy(() -> new ParallelStacks(log::add).run(List.of("a", "b", "c"), item -> {
            if (item.equals("b")) {
                throw failure;
            }
            done.add(item);
            return item;
        })).isSameAs(failure);
        assertThat(done).containsExactlyInAnyOrder("a", "c");
    }

    @Test
    void severalFailuresAreReportedTogether() {
        assertThatThrownBy(() -> new ParallelStacks(log::add).run(List.of("a", "b", "c"), item -> {
            if (!item.equals("b")) {
                throw new I2kitException("creating stack " + item + " failed");
            }
            return item;
        })).isInstanceOf(I2kitException.class)
                .hasMessage("2 stacks failed:\n  - creating stack a failed\n  - creating stack c failed");
        assertThat(log).containsExactly("i2kit: 2 stacks failed");
    }

    @Test
    void nothingToDoIsNoThread() {
        assertThat(new ParallelStacks(log::add).run(List.<String>of(), item -> item)).isEmpty();
    }
}
