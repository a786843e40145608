package io.i2kit.cli;

import io.i2kit.oci.Digest;
import io.i2kit.provider.Reports;
import java.io.PrintWriter;

/** Prints the providers' results on stdout: lines for people, or the provider's full record as JSON. */
final class ReportPrinter {
    private final PrintWriter out;
    private final boolean json;

    ReportPrinter(PrintWriter out, OutputOptions output) {
        this.out = out;
        this.json = output.json();
    }

    void status(Reports.Status status) {
        if (json) {
            OutputOptions.printJson(out, status);
        } else {
            if (!status.where().equals("locally")) {
                out.printf("%s %s%n", status.application(), status.where());
            }
            for (Reports.Service s : status.services()) {
                String where = switch (s.reach()) {
                    case NONE -> "no ports";
                    case PUBLIC -> String.join(" ", s.endpoints());
                    case PRIVATE -> (s.endpoints().isEmpty() ? "private" : s.endpoints().get(0) + " (private")
                            + (s.endpoints().isEmpty() ? " (" : ": ") + "reachable from the application's "
                            + (status.where().equals("locally") ? "VMs" : "instances") + ")";
                };
                out.printf("%-12s %d/%d %s  %s%s  %s%n", s.name(), s.ready(), s.desired(), s.readiness(),
                        s.state().map(st -> st + "  ").orElse(""), s.image().map(Digest::shortForm).orElse("-"),
                        where);
            }
            status.notes().forEach(out::println);
        }
        out.flush();
    }

    void plan(Reports.Plan plan) {
        if (json) {
            OutputOptions.printJson(out, plan);
        } else {
            for (Reports.Change c : plan.changes()) {
                out.println(c.detail().isEmpty() ? String.format("%-10s %s", c.action(), c.subject())
                        : String.format("%-10s %-12s %s", c.action(), c.subject(), c.detail()));
                c.parts().forEach(p -> out.printf("             %-7s %-28s %s%n", p.action(), p.subject(), p.detail()));
            }
        }
        out.flush();
    }

    void deployment(Reports.Deployment deployment) {
        if (json) {
            OutputOptions.printJson(out, deployment);
            out.flush();
            return;
        }
        deployment.changes().forEach(c -> out.printf("%-30s %s%s%n", c.subject(), c.action(),
                c.detail().isEmpty() ? "" : " " + c.detail()));
        status(deployment.status());
    }

    void removal(Reports.Removal removal) {
        if (json) {
            OutputOptions.printJson(out, removal);
        } else if (!removal.running() && removal.removed().isEmpty()) {
            out.println(removal.application() + ": was not running");
        } else if (removal.removed().isEmpty()) {
            out.println(removal.application() + ": stopped, state removed");
        } else {
            out.println(removal.application() + ": " + String.join(", ", removal.removed().stream()
                    .map(c -> c.action() + " " + c.subject()).toList()));
        }
        out.flush();
    }

}
