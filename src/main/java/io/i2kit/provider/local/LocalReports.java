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
            List<String> endpoints = reach == Reports.Reach.PUBLIC ? s.endpoints().entrySet().stream()
                    .map(e -> url(s.protocols().getOrDefault(e.getKey(), "http"), e.getValue())).sorted().toList() : List.of();
            return new Reports.Service(s.name(), ready, s.replicas(), s.endpoints().isEmpty() ? "running" : "healthy",
                    Optional.of(s.image()), reach, endpoints, s.scaling().map(LocalReports::scaling));
        }).toList();
        // The CA's file, so that the https endpoints above can be trusted (curl --cacert, a browser's authorities).
        String example = services.stream().flatMap(s -> s.endpoints().stream()).filter(e -> e.startsWith("https://"))
                .findFirst().orElse("https://127.0.0.1:PORT/");
        List<String> notes = status.certificateAuthority().map(ca -> List.of("local CA: " + ca
                + " (trust it: curl --cacert " + ca + " " + example + ")")).orElse(List.of());
        return new Reports.Status(status.application(), "locally", services, status, notes);
    }

    /** How a public endpoint is reached: https where the balancer terminates TLS, tls:// for a terminated tls port. */
    private static String url(String protocol, String endpoint) {
        return switch (protocol) {
            case "https" -> "https://" + endpoint + "/";
            case "tls" -> "tls://" + endpoint;
            default -> "http://" + endpoint + "/";
        };
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
