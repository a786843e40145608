package io.i2kit.provider.aws.ami;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    @Test
    void pausesGrowExponentiallyWithJitterUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(10, Duration.ofMillis(100), Duration.ofSeconds(1));
        Random random = new Random(7);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayBefore(1, random)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
            assertThat(policy.delayBefore(3, random)).isBetween(Duration.ofMillis(200), Duration.ofMillis(400));
            assertThat(policy.delayBefore(5, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
            assertThat(policy.delayBefore(60, random)).isBetween(Duration.ofMillis(500), Duration.ofSeconds(1));
        }
        assertThat(policy.delayBefore(1, new Random(1))).isNotEqualTo(policy.delayBefore(1, new Random(2)));
    }

    @Test
    void theDefaultGivesUpAfterAboutHalfAMinute() {
        RetryPolicy policy = RetryPolicy.DEFAULT;
        Duration worst = Duration.ZERO;
        Random alwaysMax = new Random() {
            @Override
            public long nextLong(long bound) {
                return bound - 1;
            }
        };
        for (int retry = 1; retry < policy.maxAttempts(); retry++) {
            worst = worst.plus(policy.delayBefore(retry, alwaysMax));
        }
        assertThat(worst).isEqualTo(Duration.ofMillis(31_750));
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> UploadSettings.DEFAULT.withConcurrency(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
