package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import io.i2kit.testing.ErrorText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class RecipeReaderTest {
    @Test
    void everyBundledAndExampleRecipeReads() throws Exception {
        for (String name : Bootstrap.BASE_IMAGES) {
            assertThat(RecipeReader.resource(name).packages()).isNotEmpty();
        }
        assertThat(RecipeReader.resource("runc").move()).containsEntry("usr/sbin/runc", "usr/bin/runc");
        assertThat(RecipeReader.resource("kernel").kernel().orElseThrow().required()).contains("virtio_net", "ena", "qemu_fw_cfg");
        try (Stream<Path> dirs = Files.list(Path.of("examples/images"))) {
            List<Recipe> examples = dirs.map(d -> d.resolve("image.yml")).filter(Files::isRegularFile).sorted().map(RecipeReader::read).toList();
            assertThat(examples).extracting(Recipe::name).containsExactly("redis", "result", "vote", "web", "worker");
            assertThat(examples.get(0).config().workingDir()).contains("/data");
            assertThat(examples.get(0).exclude()).contains("adduser", "lsb-base", "init-system-helpers");
        }
    }

    @Test
    void unknownKeysAndBadModesPointAtTheirPlace() {
        assertThatThrownBy(() -> RecipeReader.parse("packages: [a]\npackage: [b]\n".getBytes(StandardCharsets.UTF_8), "x/image.yml", "x"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ErrorText.of(() -> RecipeReader.parse("packages: [a]\npackage: [b]\n".getBytes(StandardCharsets.UTF_8), "x/image.yml", "x")))
                .startsWith("x/image.yml:2:1: error: package: unknown key");
        assertThat(ErrorText.of(() -> RecipeReader.parse("packages: [a]\ndirectories: {/tmp: rwx}\n".getBytes(StandardCharsets.UTF_8), "i.yml", "x")))
                .isEqualTo("i.yml:2:1: error: directories./tmp: \"rwx\" is not an octal mode such as \"0755\"");
        assertThatThrownBy(() -> RecipeReader.parse("depends: false\n".getBytes(StandardCharsets.UTF_8), "i.yml", "x"))
                .hasMessageContaining("packages: list at least one Debian package");
    }

    @Test
    void initFilesGetModesFromTheirContent() {
        var files = OverlayFiles.read("classpath:io/i2kit/bootstrap/init-files", Path.of("."));
        assertThat(files).containsKey("init").doesNotContainKey("README.md");
        assertThat(files.get("init").mode()).isEqualTo(0755);
        assertThat(OverlayFiles.startsWithShebangOrElf("hello".getBytes(StandardCharsets.UTF_8))).isFalse();
    }
}
