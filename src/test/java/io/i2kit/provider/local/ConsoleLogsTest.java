package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.Provider;
import io.i2kit.provider.Reports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logs} locally: console lines split by container on the init's {@code [name] } prefix, and
 * {@code --since} from the marks the supervisor notes as a console grows.
 */
class ConsoleLogsTest {
    @TempDir
    Path dir;

    @Test
    void linesAreSplitByTheInitsPrefixAndKeepTheRest() {
        assertThat(ConsoleLine.of("web-1", "[nginx] GET / 200")).isEqualTo(
                new Reports.LogLine("web-1", "nginx", Optional.empty(), "GET / 200"));
        assertThat(ConsoleLine.of("web-1", "[side-car2] [nested] text").container()).isEqualTo("side-car2");
        assertThat(ConsoleLine.of("web-1", "[side-car2] [nested] text").text()).isEqualTo("[nested] text");
        assertThat(ConsoleLine.of("web-1", "i2kit: service nginx: running")).isEqualTo(
                new Reports.LogLine("web-1", "init", Optional.empty(), "i2kit: service nginx: running"));
        // a kernel timestamp is no container name, nor is a line without the space
        assertThat(ConsoleLine.of("web-1", "[    1.234567] virtio_net virtio0: up").container()).isEqualTo("console");
        assertThat(ConsoleLine.of("web-1", "[12345.678901] oom-kill").container()).isEqualTo("console");
        assertThat(ConsoleLine.of("web-1", "[nginx]no space").container()).isEqualTo("console");
        assertThat(ConsoleLine.of("web-1", "[nginx] ").text()).isEmpty();
    }

    @Test
    void logsPrintsALineAsTheConsoleShowedItPrefixedWithItsVm() {
        for (String line : List.of("[nginx] GET / 200", "i2kit: service nginx: running", "[    1.2] virtio_net up")) {
            assertThat(ConsoleLine.of("web-1", line).display()).isEqualTo("[web-1] " + line);
        }
    }

    @Test
    void marksNoteWholeLinesOnlyWhenTheConsoleGrewAndStartOverAfterARotation() throws Exception {
        Path console = dir.resolve("console.log");
        append(console, "one\n");
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(1_000));
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(2_000)); // unchanged: no mark
        append(console, "two\nthr");                                      // a line being written
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(3_000));
        append(console, "ee\n");
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(4_000));
        assertThat(Files.readString(ConsoleMarks.of(console))).isEqualTo("1000 4\n3000 8\n4000 14\n");

        assertThat(ConsoleMarks.offsetAt(console, Instant.ofEpochMilli(500))).as("before every mark").isZero();
        assertThat(ConsoleMarks.offsetAt(console, Instant.ofEpochMilli(1_000))).isEqualTo(4);
        assertThat(ConsoleMarks.offsetAt(console, Instant.ofEpochMilli(3_500))).as("never inside a line").isEqualTo(8);
        assertThat(ConsoleMarks.offsetAt(console, Instant.ofEpochMilli(9_000))).isEqualTo(14);

        Files.writeString(console, "");
        ConsoleMarks.mark(console, true, Instant.ofEpochMilli(5_000));
        assertThat(ConsoleMarks.of(console)).as("the marks named bytes that are gone").doesNotExist();
        assertThat(ConsoleMarks.offsetAt(console, Instant.ofEpochMilli(9_000))).isZero();
    }

    @Test
    void theTailShowsOneContainerSinceATime() throws Exception {
        Path work = Files.createDirectories(dir.resolve("web-1"));
        Path console = work.resolve("console.log");
        append(console, "[nginx] early\ni2kit: service nginx: running\n");
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(10_000));
        append(console, "[nginx] late\n[php] late too\ni2kit: late init\n");
        ConsoleMarks.mark(console, false, Instant.ofEpochMilli(20_000));
        List<Status.ReplicaStatus> replicas = List.of(new Status.ReplicaStatus("web-1", 1, true, "healthy", work.toString()));

        assertThat(tail(replicas, Optional.empty(), Optional.empty())).containsExactly("web-1/nginx early",
                "web-1/init i2kit: service nginx: running", "web-1/nginx late", "web-1/php late too", "web-1/init i2kit: late init");
        assertThat(tail(replicas, Optional.of(Instant.ofEpochMilli(15_000)), Optional.of("nginx")))
                .containsExactly("web-1/nginx late");
        assertThat(tail(replicas, Optional.of(Instant.ofEpochMilli(15_000)), Optional.of("init")))
                .containsExactly("web-1/init i2kit: late init");
        assertThat(tail(replicas, Optional.of(Instant.ofEpochMilli(25_000)), Optional.empty())).isEmpty();
    }

    private static List<String> tail(List<Status.ReplicaStatus> replicas, Optional<Instant> since, Optional<String> container) {
        List<String> lines = new ArrayList<>();
        new ConsoleTail().run(replicas, new Provider.LogsRequest("shop", "web", false, since, container),
                l -> lines.add(l.origin() + " " + l.text()));
        return lines;
    }

    private static void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
