package io.i2kit.provider.local;

import io.i2kit.event.Event;
import io.i2kit.provider.local.DesiredState.ScalingState;
import io.i2kit.provider.local.scaling.Autoscaler;
import io.i2kit.provider.local.scaling.ScalingTimings;
import io.i2kit.provider.local.scaling.TargetTracking;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Scales one autoscaled service on its VMs' CPU, once per reconcile pass: samples the CPU time of
 * its replicas in service, asks its {@link Autoscaler}, and starts or stops VMs as it decides.
 * Every scaling, and every one a cool-down holds back, is a note in the supervisor's log.
 */
final class CpuScaler {
    private final ScalingState policy;
    private final Autoscaler autoscaler;
    /** What was last said of a held-back scaling, so that a cool-down is logged once, not every pass. */
    private String held = "";

    private CpuScaler(ScalingState policy, Autoscaler autoscaler) {
        this.policy = policy;
        this.autoscaler = autoscaler;
    }

    /** The scaler of a service scaled on CPU; empty for one scaled on requests (AWS only). */
    static Optional<CpuScaler> of(ScalingState policy, ScalingTimings timings) {
        return policy.cpuPercent().map(cpu -> new CpuScaler(policy,
                new Autoscaler(new TargetTracking(policy.min(), policy.max(), cpu), timings)));
    }

    /** Whether this scaler follows {@code policy} (a new range or target gets a new scaler). */
    boolean follows(ScalingState policy) {
        return this.policy.equals(policy);
    }

    /** Measures, decides and acts; while the service heals (a replica missing), it only measures. */
    void pass(ServiceRuntime service, Clock clock, Consumer<Event.Note> log) {
        String name = service.state().name();
        autoscaler.observe(clock.instant(), service.cpuInService());
        if (!service.atCount()) {
            return;
        }
        List<String> ids = service.replicas().stream().map(Replica::id).toList();
        Autoscaler.Decision d = autoscaler.decide(clock.instant(), ids, service.state().cpus());
        switch (d.kind()) {
            case SCALE -> {
                held = "";
                log.accept(note(name, "scaling " + (d.out() ? "out" : "in") + " from " + vms(d.current()) + " to "
                        + vms(d.desired()) + ": " + measured(d)));
                service.scaleTo(d.desired(), log);
                autoscaler.scaled(d, clock.instant());
                log.accept(note(name, "scaled " + (d.out() ? "out" : "in") + " to " + vms(service.replicas().size())
                        + "; next scale-out not before " + time(clock.instant().plus(cooldown(true))) + ", scale-in "
                        + time(clock.instant().plus(cooldown(false)))));
            }
            case COOLING_DOWN -> {
                String said = (d.out() ? "out" : "in") + d.desired();
                if (!said.equals(held)) {
                    held = said;
                    log.accept(note(name, "would scale " + (d.out() ? "out" : "in") + " to " + vms(d.desired()) + " ("
                            + measured(d) + "), held by the scale-" + (d.out() ? "out" : "in") + " cool-down until "
                            + time(d.at())));
                }
            }
            case HOLD, NO_DATA -> held = "";
        }
    }

    private java.time.Duration cooldown(boolean out) {
        return out ? timings().scaleOutCooldown() : timings().scaleInCooldown();
    }

    private ScalingTimings timings() {
        return autoscaler.timings();
    }

    /** What {@code status} shows of the autoscaler. */
    Status.Scaling status(ServiceRuntime service) {
        Autoscaler.Decision d = autoscaler.last();
        return new Status.Scaling(policy.min(), policy.max(), "cpu", policy.cpuPercent().orElseThrow(),
                service.state().replicas(), service.replicas().size(),
                d == null || d.averagePercent().isEmpty() ? Optional.empty()
                        : Optional.of(Math.round(d.averagePercent().getAsDouble() * 10) / 10.0),
                d == null ? "not measured yet" : describe(d));
    }

    private String describe(Autoscaler.Decision d) {
        return switch (d.kind()) {
            case SCALE -> "scaled from " + d.current() + " to " + d.desired();
            case COOLING_DOWN -> "wants " + d.desired() + " after the cool-down, at " + time(d.at());
            case HOLD -> "holding";
            case NO_DATA -> "measuring (a replica counts once in service for " + autoscaler.window().toSeconds() + " s)";
        };
    }

    private String measured(Autoscaler.Decision d) {
        return String.format(Locale.ROOT, "average CPU %.0f%% of %s over the last %d s, target %d%%",
                d.averagePercent().orElse(0), vms(d.measured()), autoscaler.window().toSeconds(),
                policy.cpuPercent().orElseThrow());
    }

    private static String vms(int count) {
        return count + (count == 1 ? " VM" : " VMs");
    }

    private static String time(Instant at) {
        return LocalTime.ofInstant(at, ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private static Event.Note note(String service, String text) {
        return Event.Note.of(Event.Phase.DEPLOY, service, text);
    }
}
