package io.i2kit.provider.local.scaling;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * The local autoscaler of one service: measures its replicas' CPU ({@link #observe}) and decides
 * how many replicas it needs ({@link #decide}), by target tracking within cool-downs. It never
 * starts or stops anything: the supervisor acts on its decisions and tells it when it did
 * ({@link #scaled}). Time is whatever the caller says, so tests run it on a manual clock.
 */
public final class Autoscaler {
    private final TargetTracking policy;
    private final ScalingTimings timings;
    private final CpuWindow window;
    private Instant lastOut = Instant.MIN;
    private Instant lastScaling = Instant.MIN;
    private volatile Decision last;

    public Autoscaler(TargetTracking policy, ScalingTimings timings) {
        this.policy = policy;
        this.timings = timings;
        this.window = new CpuWindow(timings.window());
    }

    public TargetTracking policy() {
        return policy;
    }

    /**
     * Samples the CPU time of the replicas in service now (by id); those not named are forgotten,
     * so that a replica counts only once it has served a whole window.
     */
    public synchronized void observe(Instant now, Map<String, Duration> cpuInService) {
        window.retain(cpuInService.keySet());
        cpuInService.forEach((id, cpu) -> window.record(id, now, cpu));
    }

    /**
     * How many of {@code replicas} (the ids the service runs now, each with {@code vcpus}) it
     * should run. The load is the CPU of those measured over a whole window; the service scales
     * out to {@code ceil(load / target)} if its scale-out cool-down has passed, and in to it only
     * once every replica is measured (a booting one takes load soon) and its scale-in cool-down
     * has passed; always within [min, max].
     */
    public synchronized Decision decide(Instant now, List<String> replicas, int vcpus) {
        int current = replicas.size();
        double load = 0;
        int measured = 0;
        for (String id : replicas) {
            OptionalDouble percent = window.percent(id, vcpus);
            if (percent.isPresent()) {
                load += percent.getAsDouble();
                measured++;
            }
        }
        Decision decision;
        if (current < policy.min() || current > policy.max()) {
            // outside the range (a new range, or a replica being replaced): back into it first
            decision = new Decision(Decision.Kind.SCALE, current, policy.clamp(current), average(load, measured), measured, now);
        } else if (measured == 0) {
            decision = new Decision(Decision.Kind.NO_DATA, current, current, OptionalDouble.empty(), 0, now);
        } else {
            OptionalDouble average = average(load, measured);
            int wanted = policy.desired(measured, average.getAsDouble());
            if (wanted > current) {
                Instant until = lastOut.equals(Instant.MIN) ? now : lastOut.plus(timings.scaleOutCooldown());
                decision = now.isBefore(until)
                        ? new Decision(Decision.Kind.COOLING_DOWN, current, wanted, average, measured, until)
                        : new Decision(Decision.Kind.SCALE, current, wanted, average, measured, now);
            } else if (wanted < current && measured == current) {
                Instant until = lastScaling.equals(Instant.MIN) ? now : lastScaling.plus(timings.scaleInCooldown());
                decision = now.isBefore(until)
                        ? new Decision(Decision.Kind.COOLING_DOWN, current, wanted, average, measured, until)
                        : new Decision(Decision.Kind.SCALE, current, wanted, average, measured, now);
            } else {
                decision = new Decision(Decision.Kind.HOLD, current, current, average, measured, now);
            }
        }
        last = decision;
        return decision;
    }

    private static OptionalDouble average(double load, int measured) {
        return measured == 0 ? OptionalDouble.empty() : OptionalDouble.of(load / measured);
    }

    /**
     * The service now runs the replicas {@code decision} asked for: its cool-downs start at
     * {@code done}, when the change was complete (as AWS starts them when an activity ends).
     */
    public synchronized void scaled(Decision decision, Instant done) {
        if (decision.desired() > decision.current()) {
            lastOut = done;
        }
        lastScaling = done;
    }

    /** The last decision, for {@code status}; null before the first. */
    public Decision last() {
        return last;
    }

    public Duration window() {
        return timings.window();
    }

    public ScalingTimings timings() {
        return timings;
    }

    /**
     * What the autoscaler decided: {@code SCALE} from {@code current} to {@code desired} now;
     * {@code COOLING_DOWN}: it would, but not before {@code at}; {@code HOLD}: the count is right;
     * {@code NO_DATA}: no replica has served a whole window yet.
     *
     * @param measured how many replicas the average is of
     */
    public record Decision(Kind kind, int current, int desired, OptionalDouble averagePercent, int measured, Instant at) {
        public enum Kind { SCALE, COOLING_DOWN, HOLD, NO_DATA }

        public boolean out() {
            return desired > current;
        }
    }
}
