package io.i2kit.cli;

import io.i2kit.oci.Digest;
import io.i2kit.provider.local.Status;
import java.io.PrintWriter;

/** Prints where each service answers: URLs of public services, private ones named as such. */
final class Endpoints {
    private Endpoints() {
    }

    static void print(PrintWriter out, Status status, boolean json) {
        if (json) {
            OutputOptions.printJson(out, status);
            out.flush();
            return;
        }
        for (Status.ServiceStatus s : status.services()) {
            // A service without ports has no health check: what counts is that its VMs run.
            long healthy = s.running().stream()
                    .filter(r -> s.endpoints().isEmpty() ? r.alive() : r.health().equals("healthy")).count();
            String where = s.endpoints().isEmpty() ? "no ports"
                    : s.isPublic() ? String.join(" ", s.endpoints().entrySet().stream()
                            .map(e -> "http://" + e.getValue() + "/").toList())
                    : "private (reachable from the application's VMs)";
            out.printf("%-12s %d/%d %s  %s  %s%n", s.name(), healthy, s.replicas(),
                    s.endpoints().isEmpty() ? "running" : "healthy", Digest.shortForm(s.image()), where);
        }
        out.flush();
    }
}
