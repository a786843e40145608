package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.model.Activity;

/** A replica's outage read from its group's activities, as a stop-first rolling update leaves them. */
class DowntimeMeterTest {
    private static final Instant T0 = Instant.parse("2026-12-03T17:00:00Z");

    @Test
    void theOutageRunsFromTheTerminationsStartToTheEndOfTheNextLaunch() {
        List<Activity> activities = List.of(
                activity("Launching a new EC2 instance: i-old", T0.minusSeconds(3600), T0.minusSeconds(3500)),
                activity("Terminating EC2 instance: i-old", T0.plusSeconds(10), T0.plusSeconds(40)),
                activity("Launching a new EC2 instance: i-new", T0.plusSeconds(41), T0.plusSeconds(95)));
        DowntimeMeter.Outage outage = DowntimeMeter.outage("ScalingGroupR1", activities, T0).orElseThrow();
        assertThat(outage.stopped()).isEqualTo(T0.plusSeconds(10));
        assertThat(outage.down()).isEqualTo(Duration.ofSeconds(85));
    }

    @Test
    void noTerminationSinceTheUpdateOrNoFinishedLaunchYetIsNoOutage() {
        assertThat(DowntimeMeter.outage("ScalingGroupR1", List.of(
                activity("Terminating EC2 instance: i-older", T0.minusSeconds(60), T0.minusSeconds(30)),
                activity("Launching a new EC2 instance: i-old", T0.minusSeconds(29), T0.minusSeconds(1))), T0)).isEmpty();
        assertThat(DowntimeMeter.outage("ScalingGroupR1", List.of(
                activity("Terminating EC2 instance: i-old", T0.plusSeconds(1), T0.plusSeconds(20)),
                activity("Launching a new EC2 instance: i-new", T0.plusSeconds(21), null)), T0)).isEmpty();
    }

    private static Activity activity(String description, Instant start, Instant end) {
        return Activity.builder().description(description).startTime(start).endTime(end).build();
    }
}
