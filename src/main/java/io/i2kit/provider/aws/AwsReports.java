package io.i2kit.provider.aws;

import io.i2kit.oci.Digest;
import io.i2kit.provider.Reports;
import java.util.List;
import java.util.Optional;

/** The AWS records in the shape every provider reports. */
final class AwsReports {
    private AwsReports() {
    }

    static Reports.Status status(AwsStatus status) {
        String where = "on AWS " + status.region() + ": environment "
                + status.environment().map(e -> e.name() + " " + e.status()).orElse("not deployed");
        List<Reports.Service> services = status.services().stream().map(s -> new Reports.Service(s.name(),
                s.inService(), s.desired(), "in service", s.imageDigest(),
                s.publicUrl().isPresent() ? Reports.Reach.PUBLIC : s.endpoint().isPresent() ? Reports.Reach.PRIVATE
                        : Reports.Reach.NONE,
                s.publicUrl().or(s::endpoint).stream().toList(), Optional.of(state(s)))).toList();
        return new Reports.Status(status.application(), where, services, status);
    }

    /** {@code UPDATE_COMPLETE}, and for an autoscaled service its instances and range: {@code 3 instances, scales 2..10}. */
    private static String state(AwsStatus.ServiceState s) {
        return s.stack().status() + (s.scales() ? ", " + s.instances().size() + " instances, scales " + s.minSize()
                + ".." + s.maxSize() : "");
    }

}
