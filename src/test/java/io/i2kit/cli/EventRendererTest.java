package io.i2kit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.event.Event;
import io.i2kit.event.Progress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The one renderer: the same events as plain lines for logs, and as JSON lines for scripts. */
class EventRendererTest {
    private final StringWriter text = new StringWriter();

    private EventRenderer renderer(EventRenderer.Mode mode) {
        return new EventRenderer(new PrintWriter(text), mode);
    }

    private static void emitSome(EventRenderer events) {
        events.emit(Event.Note.of(Event.Phase.DEPLOY, "vote", "starting vote-g1-r0 (3f2a)"));
        events.emit(Event.Note.warning(Event.Phase.DEPLOY, "using TCG (software emulation, slower boots): no KVM"));
        Progress progress = events.progress();
        progress.start("pulling redis", 2048);
        progress.advance("pulling redis", 1024);
        progress.advance("pulling redis", 1024);
        progress.finish("pulling redis", "2 layers");
    }

    @Test
    void plainLinesNameTheServiceOrI2kitAndEachTaskTwice() {
        emitSome(renderer(EventRenderer.Mode.PLAIN));

        List<String> lines = text.toString().lines().toList();
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("[vote] starting vote-g1-r0 (3f2a)");
        assertThat(lines.get(1)).isEqualTo("i2kit: using TCG (software emulation, slower boots): no KVM");
        assertThat(lines.get(2)).isEqualTo("pulling redis (2.0 KiB)");
        assertThat(lines.get(3)).startsWith("pulling redis: 2 layers in ");
    }

    @Test
    void jsonLinesCarryTheFieldsAndSumTheBytes() throws Exception {
        emitSome(renderer(EventRenderer.Mode.JSON));

        List<JsonNode> events = text.toString().lines().map(EventRendererTest::json).toList();
        assertThat(events).extracting(e -> e.path("event").asText())
                .containsExactly("note", "note", "task-started", "task-finished");
        assertThat(events.get(0).path("service").asText()).isEqualTo("vote");
        assertThat(events.get(0).path("phase").asText()).isEqualTo("deploy");
        assertThat(events.get(1).path("level").asText()).isEqualTo("warning");
        assertThat(events.get(1).has("service")).isFalse();
        assertThat(events.get(3).path("bytes").asLong()).isEqualTo(2048);
    }

    @Test
    void aLineOfThePartsThatReportLinesBecomesANoteAboutItsSubject() {
        assertThat(Event.Note.ofLine(Event.Phase.DEPLOY, "[web] unchanged").service()).isEqualTo(Optional.of("web"));
        Event.Note plain = Event.Note.ofLine(Event.Phase.DOWN, "i2kit: stopping every VM");
        assertThat(plain.service()).isEmpty();
        assertThat(plain.text()).isEqualTo("stopping every VM");
    }

    private static JsonNode json(String line) {
        try {
            return new ObjectMapper().readTree(line);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + line, e);
        }
    }
}
