package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.MotoServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.OutputLogEvent;

/**
 * The init's log shipping (usr/lib/i2kit/logs.sh, logs-spool.awk, logs-batch.awk) under this
 * machine's busybox, the one the VM runs: the container's side only appends to a spool file and
 * bounds what nobody claims; a batch keeps CloudWatch's limits, valid JSON of valid UTF-8, and
 * drops the oldest files beyond the bound; the shipper's own functions send claimed lines to moto's
 * CloudWatch Logs (signed by sigv4.sh), keep them while CloudWatch is unreachable, and drop the
 * oldest, saying how many, when more than the bound waits. Ec2LogsIT does it all in a VM.
 */
class LogsScriptIT {
    @RegisterExtension
    static final MotoServer MOTO = MotoServer.shared();

    private static final Path LIB = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void theWriterLabelsEachLineForTheConsoleAndSpoolsItUntilTheCap() throws Exception {
        Path spool = dir.resolve("web");
        String console = run("printf 'one\\ntwo \"2\"\\n' | awk -v prefix='[web] ' -v spool=" + spool
                + " -v cap=1000 -f " + LIB.resolve("logs-spool.awk"));
        assertThat(console).isEqualTo("[web] one\n[web] two \"2\"\n");
        assertThat(Files.readAllLines(spool)).hasSize(2).allMatch(l -> l.matches("[0-9]{10} .*"))
                .extracting(l -> l.substring(11)).containsExactly("one", "two \"2\"");

        // an unclaimed file stops growing at the cap: the newest lines are counted, not spooled
        Files.delete(spool);
        String lines = "seq 1 100 | awk -v prefix='[web] ' -v spool=" + spool + " -v cap=100 -f " + LIB.resolve("logs-spool.awk");
        assertThat(run(lines)).hasLineCount(100);
        int spooled = Files.readAllLines(spool).size();
        assertThat(spooled).isBetween(5, 10);
        assertThat(Files.readString(dir.resolve("web.dropped")).strip()).isEqualTo(String.valueOf(100 - spooled));

        // once claimed (renamed), the next line starts a new file
        Files.move(spool, dir.resolve("claimed"));
        run("echo three | awk -v prefix='[web] ' -v spool=" + spool + " -v cap=100 -f " + LIB.resolve("logs-spool.awk"));
        assertThat(Files.readAllLines(spool)).singleElement().asString().endsWith(" three");
    }

    @Test
    void aBatchIsValidJsonWithinTheLimitsAndTheOldestGoBeyondTheBound() throws Exception {
        Path q = Files.createDirectories(dir.resolve("q"));
        Files.writeString(q.resolve("1"), "1700000000 first\n1700000000 second\n");
        // the init's lines carry uptimes; an invalid UTF-8 byte, control bytes, quotes and an empty line
        Files.write(q.resolve("2"), concat("+5.25 third \u00e9\n+6 bad ".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xff, (byte) 0xc0}, " x\n+7 \n+8 tab\t\u0001 \"q\" \\\n".getBytes(StandardCharsets.UTF_8)));
        Files.writeString(q.resolve("3"), "1700000100 fourth\n1700000100 fifth\n");
        String files = q.resolve("1") + " " + q.resolve("2") + " " + q.resolve("3");

        Path out = Files.createDirectories(dir.resolve("all"));
        assertThat(batch(out, 1_000_000, 1_000_000, files)).containsExactly("done " + q.resolve("1"),
                "done " + q.resolve("2"), "done " + q.resolve("3"), "events 7");
        JsonNode body = JSON.readTree(out.resolve("body").toFile());
        assertThat(body.path("logGroupName").asText()).isEqualTo("/i2kit/a/s");
        assertThat(body.path("logStreamName").asText()).isEqualTo("i-1/web");
        assertThat(body.path("logEvents")).extracting(e -> e.path("message").asText()).containsExactly("first", "second",
                "third \u00e9", "bad \ufffd\ufffd x", "tab\t\u0001 \"q\" \\", "fourth", "fifth");
        List<Long> stamps = new ArrayList<>();
        body.path("logEvents").forEach(e -> stamps.add(e.path("timestamp").asLong()));
        // in ms; boot 1699999000 + uptime 5.25 s would go back in time: a batch's timestamps never do
        assertThat(stamps).containsExactly(1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_000_000L,
                1_700_000_000_000L, 1_700_000_000_000L, 1_700_000_100_000L, 1_700_000_100_000L);
        Path init = Files.createDirectories(dir.resolve("init"));
        Files.writeString(q.resolve("4"), "+5.25 i2kit: boot\n");
        batch(init, 1_000_000, 1_000_000, q.resolve("4").toString());
        assertThat(JSON.readTree(init.resolve("body").toFile()).at("/logEvents/0/timestamp").asLong())
                .as("boot + uptime, in ms").isEqualTo(1_699_999_005_250L);

        // a batch ends where CloudWatch's size limit would be passed; the rest of that file waits
        Path small = Files.createDirectories(dir.resolve("small"));
        assertThat(batch(small, 100, 1_000_000, files)).containsExactly("done " + q.resolve("1"), "rest " + q.resolve("2"),
                "events 3");
        assertThat(Files.readString(small.resolve("rest"), StandardCharsets.ISO_8859_1)).startsWith("+6 bad ").contains("+8 tab");

        // beyond the bound, the oldest files go, with their line counts; the newest always stays
        Path bounded = Files.createDirectories(dir.resolve("bounded"));
        assertThat(batch(bounded, 1_000_000, 60, files)).containsExactly("drop " + q.resolve("1") + " 2",
                "drop " + q.resolve("2") + " 4", "done " + q.resolve("3"), "events 2");
    }

    @Test
    void theShipperSendsClaimedLinesAndDropsTheOldestWhileCloudWatchIsUnreachable(CloudWatchLogsClient logs)
            throws Exception {
        String group = "/i2kit/script/svc";
        logs.createLogGroup(r -> r.logGroupName(group));
        Path spool = Files.createDirectories(dir.resolve("logs/spool"));
        // CloudWatch refuses events older than 14 days: these are from now
        long now = java.time.Instant.now().getEpochSecond();
        Files.writeString(spool.resolve("web"), now + " hello from web\n" + now + " second line\n");
        Files.writeString(spool.resolve("init"), "+1.5 i2kit: boot\n");
        String moto = "http://127.0.0.1:" + MOTO.endpoint().getPort();
        String shipped = ship(group, moto, 1_048_576, "logs_claim 1000000001 && logs_send_all && echo sent");
        assertThat(shipped).endsWith("sent\n");
        assertThat(messages(logs, group, "i-0test/web")).containsExactly("hello from web", "second line");
        assertThat(messages(logs, group, "i-0test/init")).containsExactly("i2kit: boot");
        try (Stream<Path> left = Files.list(dir.resolve("logs/queue/web"))) {
            assertThat(left).as("sent files are deleted").isEmpty();
        }

        // unreachable (nothing listens on port 9): the claimed files wait, past the bound the oldest go
        Files.writeString(spool.resolve("web"), now + " lost 1\n" + now + " lost 2\n");
        String failed = ship(group, "http://127.0.0.1:9", 40, "logs_claim 1000000002; logs_send_all || echo failed");
        assertThat(failed).contains("failed");
        Files.writeString(spool.resolve("web"), now + " kept 1\n" + now + " kept 2\n");
        String dropped = ship(group, "http://127.0.0.1:9", 40, "logs_claim 1000000003; logs_send_all || echo failed");
        assertThat(dropped).contains("i2kit: logs: dropped the 2 oldest lines of web: more than 40 bytes were waiting")
                .contains("failed");
        assertThat(ship(group, moto, 40, "logs_send_all && echo sent")).endsWith("sent\n");
        assertThat(messages(logs, group, "i-0test/web")).containsExactly("hello from web", "second line", "kept 1", "kept 2");
        // the drop was logged as the init's line, for the init's stream
        assertThat(Files.readString(spool.resolve("init"))).contains("i2kit: logs: dropped the 2 oldest lines of web");
    }

    /** Runs the shipper's functions as the init has them, with the role's credentials in the shell. */
    private String ship(String group, String endpoint, int bound, String script) throws Exception {
        Path config = Files.createDirectories(dir.resolve("config"));
        Files.writeString(config.resolve("endpoint-logs"), endpoint);
        return run("i2kit_lib=" + LIB + "; logs_dir=" + dir.resolve("logs") + "; logs_bound=" + bound
                + "; log_spool=" + dir.resolve("logs/spool/init")
                + "; log() { echo \"i2kit: $*\"; [ -z \"$log_spool\" ] || echo \"+1 i2kit: $*\" >>\"$log_spool\"; }"
                + "; fatal() { echo \"fatal: $*\"; exit 1; }"
                + "; in_list() { case \" $2 \" in *\" $1 \"*) return 0 ;; esac; return 1; }"
                + "; . " + LIB.resolve("aws.sh") + "; . " + LIB.resolve("logs.sh")
                + "; mkdir -p $logs_dir/aws $logs_dir/queue; aws_dir=$logs_dir/aws"
                + "; AWS_ACCESS_KEY_ID=ASIATEST; AWS_SECRET_ACCESS_KEY=secret; AWS_SESSION_TOKEN=token"
                + "; aws_region=" + MotoServer.REGION + "; aws_instance=i-0test; logs_group=" + group
                + "; logs_boot=" + (java.time.Instant.now().getEpochSecond() - 100) + "; failures=0; logs_created=' '"
                + "; aws_logs=$(cat " + config.resolve("endpoint-logs") + "); " + script);
    }

    private List<String> batch(Path out, int limit, int bound, String files) throws Exception {
        return run("awk -v group=/i2kit/a/s -v stream=i-1/web -v boot=1699999000 -v limit=" + limit + " -v bound=" + bound
                + " -v out=" + out + " -f " + LIB.resolve("logs-batch.awk") + " " + files).lines().toList();
    }

    private static List<String> messages(CloudWatchLogsClient logs, String group, String stream) {
        return logs.getLogEvents(r -> r.logGroupName(group).logStreamName(stream).startFromHead(true)).events().stream()
                .map(OutputLogEvent::message).toList();
    }

    private static byte[] concat(byte[]... parts) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static String run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", script).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as("%s\n%s", script, out).isZero();
        return out;
    }
}
