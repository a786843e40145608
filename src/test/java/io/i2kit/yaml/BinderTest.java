package io.i2kit.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.i2kit.yaml.YamlNode.Mapping;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BinderTest {
    private final Problems problems = new Problems();
    private final Binder in = new Binder(problems, new SourceMap("f.yml"));

    private Mapping root(String yaml) {
        return (Mapping) new YamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "f.yml").get(0);
    }

    @Test
    void bindsWhatFitsAndReportsEveryMisfitWithItsPathAndPosition() {
        Mapping m = root("""
                name: web
                replicas: many
                public: yes
                tags: [a, [b]]
                move: {a: b, c: ~}
                nmae: typo
                """);
        in.allowOnly(m, "", Set.of("name", "replicas", "public", "tags", "move"));
        assertThat(in.string(m, "name", "")).contains("web");
        assertThat(in.integer(m, "replicas", "", 1, 10)).isEmpty();
        assertThat(in.bool(m, "public", "")).isEmpty();
        assertThat(in.stringList(m, "tags", "")).containsExactly("a");
        assertThat(in.stringMap(m, "move", "")).isEqualTo(Map.of("a", "b"));

        assertThat(problems.sorted()).extracting(Problem::toString).containsExactly(
                "f.yml:2:11: error: replicas: expected an integer from 1 to 10, found \"many\"",
                "f.yml:3:9: error: public: expected true or false, found \"yes\"",
                "f.yml:4:11: error: tags[1]: expected a string, found a list",
                "f.yml:5:17: error: move.c: expected a string, found nothing",
                "f.yml:6:1: error: nmae: unknown key \"nmae\"; did you mean \"name\"?");
        assertThat(in.sources().at("tags[1]")).isEqualTo(new Position("f.yml", 4, 11));
    }

    @Test
    void problemsAreThrownTogetherWithTheirWarningsAndACount() {
        problems.warning(new Position("f.yml", 3, 1), "old", "deprecated");
        problems.error(new Position("f.yml", 1, 1), "name", "missing");
        ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> problems.throwIfErrors("f.yml"));
        assertThat(e).hasMessage("""
                f.yml:1:1: error: name: missing
                f.yml:3:1: warning: old: deprecated
                1 error in f.yml""");
        assertThat(e.problems()).hasSize(2);
    }

    @Test
    void aScratchBinderSharesProblemsButNotPositions() {
        Binder scratch = in.scratch();
        Mapping m = root("image: [x]\n");
        scratch.string(m, "image", "");
        assertThat(problems.count()).isEqualTo(1);
        assertThat(in.sources().at("image")).isEqualTo(Position.unknown("f.yml"));
        assertThat(scratch.sources().at("image")).isEqualTo(new Position("f.yml", 1, 8));
    }

    @Test
    void unsupportedKeysWarnUnlessEmpty() {
        Mapping m = root("kind: x\nstatus: {}\nspec: {a: 1}\n");
        in.warnUnsupported(m, "", Set.of("kind"), "not supported here");
        assertThat(problems.warnings()).extracting(Problem::toString)
                .isEqualTo(List.of("f.yml:3:1: warning: spec: not supported here; ignored"));
    }
}
