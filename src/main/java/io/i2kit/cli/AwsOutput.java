package io.i2kit.cli;

import io.i2kit.oci.Digest;
import io.i2kit.provider.aws.AwsDeployment;
import io.i2kit.provider.aws.AwsPlan;
import io.i2kit.provider.aws.AwsRemoval;
import io.i2kit.provider.aws.AwsStatus;
import java.io.PrintWriter;

/** Prints the AWS provider's results: lines for people, or the result record as JSON. */
final class AwsOutput {
    private AwsOutput() {
    }

    static void deployment(PrintWriter out, AwsDeployment deployment, boolean json) {
        if (json) {
            OutputOptions.printJson(out, deployment);
        } else {
            deployment.images().forEach(i -> out.printf("%-12s %s %s%n", i.service(), i.imageId(),
                    i.reused() ? "(reused: an AMI with this image digest exists)" : "(made from " + Digest.shortForm(i.digest()) + ")"));
            deployment.stacks().forEach(s -> out.printf("%-30s %s%n", s.stack(), s.action()));
            status(out, deployment.status(), false);
        }
        out.flush();
    }

    static void status(PrintWriter out, AwsStatus status, boolean json) {
        if (json) {
            OutputOptions.printJson(out, status);
            out.flush();
            return;
        }
        out.printf("%s on AWS %s: environment %s%n", status.application(), status.region(),
                status.environment().map(e -> e.name() + " " + e.status()).orElse("not deployed"));
        for (AwsStatus.ServiceState s : status.services()) {
            String where = s.publicUrl().orElseGet(() -> s.endpoint()
                    .map(e -> e + " (private: reachable from the application's instances)").orElse("no ports"));
            out.printf("%-12s %d/%d in service  %s  %s  %s%n", s.name(), s.inService(), s.desired(),
                    s.stack().status(), s.imageDigest().map(Digest::shortForm).orElse("-"), where);
        }
        out.flush();
    }

    static void plan(PrintWriter out, AwsPlan plan, boolean json) {
        if (json) {
            OutputOptions.printJson(out, plan);
            out.flush();
            return;
        }
        plan.images().forEach(i -> out.printf("%-10s %-12s %s%n", i.imageId().isPresent() ? "reuse" : "upload",
                i.service(), i.imageId().orElse("new AMI from " + Digest.shortForm(i.digest()))));
        for (AwsPlan.StackPlan s : plan.stacks()) {
            out.printf("%-10s %s%s%n", s.action(), s.stack(), s.note().isEmpty() ? "" : "  (" + s.note() + ")");
            s.changes().forEach(c -> out.printf("             %-7s %-28s %-40s%s%n", c.action(), c.logicalId(), c.type(),
                    c.replacement().isEmpty() || c.replacement().equals("False") ? ""
                            : " replacement: " + c.replacement()));
        }
        out.flush();
    }

    static void removal(PrintWriter out, String application, AwsRemoval removal, boolean json) {
        if (json) {
            OutputOptions.printJson(out, removal);
        } else if (removal.stacks().isEmpty() && removal.images().isEmpty() && removal.snapshots().isEmpty()) {
            out.println(application + ": nothing deployed on AWS");
        } else {
            out.println(application + ": deleted " + removal.stacks().size() + " stacks, deregistered "
                    + removal.images().size() + " AMIs, deleted " + removal.snapshots().size() + " snapshots");
        }
        out.flush();
    }
}
