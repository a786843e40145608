package io.i2kit.provider.local;

import io.i2kit.discovery.BootMetadata;
import io.i2kit.oci.Digest;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What {@code up} would do to each service, decided by the same comparison {@code up} makes: image,
 * VM size, command line, forwards, ports and boot metadata ({@link DesiredState.ServiceState#sameVmAs}),
 * against what the supervisor last recorded running.
 */
public record LocalPlan(List<Change> changes) {
    public LocalPlan {
        changes = List.copyOf(changes);
    }

    public enum Action {
        CREATE, UPDATE, SCALE, UNCHANGED, REMOVE;

        /** As plan prints it, in text and JSON: {@code create}, {@code update}, ... */
        @com.fasterxml.jackson.annotation.JsonValue
        public String lower() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public record Change(String service, Action action, String detail) {
    }

    static LocalPlan of(DesiredState desired, Optional<DesiredState> running) {
        List<Change> changes = new ArrayList<>();
        for (DesiredState.ServiceState asked : desired.services()) {
            Optional<DesiredState.ServiceState> now = running.flatMap(r -> r.service(asked.name()));
            DesiredState.ServiceState s = now.map(asked::keeping).orElse(asked);
            String image = Digest.shortForm(s.image());
            if (now.isEmpty()) {
                changes.add(new Change(s.name(), Action.CREATE, s.replicas() + " x " + image
                        + s.autoscaling().map(a -> ", autoscaled " + a.describe()).orElse("")));
            } else if (!s.sameVmAs(now.get())) {
                changes.add(new Change(s.name(), Action.UPDATE, Digest.shortForm(now.get().image()) + " -> " + image
                        + (now.get().image().equals(s.image()) ? " (" + whatElse(now.get(), s) + ")" : "")
                        + (s.stateful() ? ", stop-first (volumes): downtime while each of its " + s.replicas()
                        + " VMs is replaced, the old one stopped before the new one takes its disks"
                        : ", rolling " + s.replicas() + " VMs")));
            } else if (now.get().replicas() != s.replicas()) {
                changes.add(new Change(s.name(), Action.SCALE, now.get().replicas() + " -> " + s.replicas() + " replicas"
                        + (s.stateful() && s.replicas() < now.get().replicas()
                        ? " (the volumes of the replicas removed are kept)" : "")));
            } else if (!now.get().autoscaling().equals(s.autoscaling())) {
                changes.add(new Change(s.name(), Action.SCALE, "autoscaling "
                        + now.get().autoscaling().map(DesiredState.ScalingState::describe).orElse("off") + " -> "
                        + s.autoscaling().map(DesiredState.ScalingState::describe).orElse("off, " + s.replicas() + " replicas")));
            } else {
                changes.add(new Change(s.name(), Action.UNCHANGED, image));
            }
        }
        running.ifPresent(r -> r.services().stream().filter(x -> desired.service(x.name()).isEmpty())
                .forEach(x -> changes.add(new Change(x.name(), Action.REMOVE, x.replicas() + " VMs"))));
        return new LocalPlan(changes);
    }

    /** Why VMs of an unchanged image are replaced. */
    private static String whatElse(DesiredState.ServiceState now, DesiredState.ServiceState next) {
        List<String> what = new ArrayList<>();
        if (now.memoryMiB() != next.memoryMiB() || now.cpus() != next.cpus()) {
            what.add("VM size");
        }
        List<BootMetadata.SecretVersion> secretsNow = BootMetadata.secretsOf(now.metadata());
        List<BootMetadata.SecretVersion> secretsNext = BootMetadata.secretsOf(next.metadata());
        boolean secrets = !secretsNow.equals(secretsNext);
        if (!now.forwards().equals(next.forwards())
                || !BootMetadata.withoutSecrets(now.metadata()).equals(BootMetadata.withoutSecrets(next.metadata()))) {
            what.add("discovery or boot metadata");
        }
        if (secrets) {
            what.add(secretChanges(secretsNow, secretsNext));
        }
        if (!now.vmPorts().equals(next.vmPorts()) || !now.cmdline().equals(next.cmdline())) {
            what.add("ports or command line");
        }
        return String.join(", ", what);
    }

    /** {@code secret a v1 -> v2, secret b added}: each secret whose version the VMs get changes. */
    private static String secretChanges(List<BootMetadata.SecretVersion> now, List<BootMetadata.SecretVersion> next) {
        java.util.Map<String, Long> before = new java.util.TreeMap<>();
        now.forEach(s -> before.put(s.name(), s.version()));
        java.util.Map<String, Long> after = new java.util.TreeMap<>();
        next.forEach(s -> after.put(s.name(), s.version()));
        java.util.Set<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<String> changes = new ArrayList<>();
        for (String name : names) {
            Long a = before.get(name);
            Long b = after.get(name);
            if (a == null) {
                changes.add("secret " + name + " added (v" + b + ")");
            } else if (b == null) {
                changes.add("secret " + name + " no longer read");
            } else if (!a.equals(b)) {
                changes.add("secret " + name + " v" + a + " -> v" + b);
            }
        }
        return String.join(", ", changes);
    }

    /** What the application's supervisor last recorded running; empty when none runs. */
    static Optional<DesiredState> running(AppPaths paths) {
        if (!ControlChannel.reachable(paths.control()) || !Files.exists(paths.running())) {
            return Optional.empty();
        }
        try {
            return Optional.of(DesiredState.fromJson(Files.readString(paths.running())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
