package io.i2kit.provider.local;

import io.i2kit.provider.Reports;
import java.util.List;
import java.util.Optional;

/** The local provider's records in the shape every provider reports, and its lines as events. */
final class LocalReports {
    private LocalReports() {
    }

    static Reports.Status status(Status status) {
        List<Reports.Service> services = status.services().stream().map(s -> {
            // A service without ports has no health check: what counts is that its VMs run.
            long ready = s.running().stream()
                    .filter(r -> s.endpoints().isEmpty() ? r.alive() : r.health().equals("healthy")).count();
            Reports.Reach reach = s.endpoints().isEmpty() ? Reports.Reach.NONE
                    : s.isPublic() ? Reports.Reach.PUBLIC : Reports.Reach.PRIVATE;
            List<String> endpoints = reach == Reports.Reach.PUBLIC
                    ? s.endpoints().values().stream().sorted().map(e -> "http://" + e + "/").toList() : List.of();
            return new Reports.Service(s.name(), ready, s.replicas(), s.endpoints().isEmpty() ? "running" : "healthy",
                    Optional.of(s.image()), reach, endpoints, s.scaling().map(LocalReports::scaling));
        }).toList();
        return new Reports.Status(status.application(), "locally", services, status);
    }

    /** {@code autoscaled 1..4 on cpu 60%: desired 2, current 2, cpu 71%}: the state column of an autoscaled service. */
    private static String scaling(Status.Scaling s) {
        String target = s.metric().equals("cpu") ? "cpu " + s.target() + "%" : s.target() + " requests per target (AWS only)";
        return "autoscaled " + s.min() + ".." + s.max() + " on " + target + ": desired " + s.desired() + ", current "
                + s.current() + s.cpuPercent().map(c -> String.format(java.util.Locale.ROOT, ", cpu %.0f%%", c)).orElse("");
    }

    static Reports.Plan plan(LocalPlan plan) {
        return new Reports.Plan(plan.changes().stream()
                .map(c -> new Reports.Change(c.action().lower(), c.service(), c.detail())).toList(), plan.changes());
    }
}
