package io.i2kit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.Reports;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every provider's results in one shape: lines for people, the provider's own record as JSON. */
class ReportPrinterTest {
    private static final String DIGEST = "sha256:" + "ab".repeat(32);
    private final StringWriter out = new StringWriter();

    private ReportPrinter printer(String format) {
        OutputOptions options = new OutputOptions();
        options.format = OutputOptions.Format.valueOf(format.toUpperCase(java.util.Locale.ROOT));
        return new ReportPrinter(new PrintWriter(out), options);
    }

    private static Reports.Status status(String where) {
        return new Reports.Status("polls", where, List.of(
                new Reports.Service("vote", 2, 2, "healthy", Optional.of(DIGEST), Reports.Reach.PUBLIC,
                        List.of("http://127.0.0.1:80/"), Optional.empty()),
                new Reports.Service("db", 0, 1, "healthy", Optional.of(DIGEST), Reports.Reach.PRIVATE, List.of(),
                        Optional.empty()),
                new Reports.Service("worker", 1, 1, "running", Optional.empty(), Reports.Reach.NONE, List.of(),
                        Optional.empty())),
                Map.of("supervisorPid", 42));
    }

    @Test
    void statusAsLinesForPeople() {
        printer("text").status(status("locally"));

        assertThat(out.toString().lines()).containsExactly(
                "vote         2/2 healthy  abababababab  http://127.0.0.1:80/",
                "db           0/1 healthy  abababababab  private (reachable from the application's VMs)",
                "worker       1/1 running  -  no ports");
    }

    @Test
    void aCloudStatusSaysWhereAndEachStacksState() {
        Reports.Status aws = new Reports.Status("polls", "on AWS eu-west-1: environment i2kit-polls CREATE_COMPLETE",
                List.of(new Reports.Service("db", 1, 1, "in service", Optional.of(DIGEST), Reports.Reach.PRIVATE,
                        List.of("db.polls.i2kit.internal:6379"), Optional.of("CREATE_COMPLETE"))), Map.of());
        printer("text").status(aws);

        assertThat(out.toString().lines()).containsExactly(
                "polls on AWS eu-west-1: environment i2kit-polls CREATE_COMPLETE",
                "db           1/1 in service  CREATE_COMPLETE  abababababab  db.polls.i2kit.internal:6379 "
                        + "(private: reachable from the application's instances)");
    }

    @Test
    void jsonIsTheProvidersOwnRecord() {
        printer("json").status(status("locally"));

        assertThat(out.toString()).contains("\"supervisorPid\" : 42").doesNotContain("reach");
    }

    @Test
    void aPlanListsChangesAndTheirParts() {
        printer("text").plan(new Reports.Plan(List.of(new Reports.Change("unchanged", "i2kit-polls", ""),
                new Reports.Change("update", "vote", "(parameters ImageDigest)",
                        List.of(new Reports.Change("Modify", "LaunchTemplate", "AWS::EC2::LaunchTemplate")))), List.of()));

        assertThat(out.toString().lines()).containsExactly("unchanged  i2kit-polls",
                "update     vote         (parameters ImageDigest)",
                "             Modify  LaunchTemplate               AWS::EC2::LaunchTemplate");
    }
}
