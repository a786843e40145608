package io.i2kit.yaml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.testing.ErrorText;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlReaderTest {
    private static List<YamlNode> read(String yaml) {
        return new YamlReader().read(yaml.getBytes(StandardCharsets.UTF_8), "t.yml");
    }

    @Test
    void keepsPositionsOfValuesAndKeys() {
        YamlNode.Mapping root = (YamlNode.Mapping) read("a: 1\nbb:\n  c: [x, \"y\"]\n").get(0);
        assertThat(root.keyPosition("bb")).isEqualTo(new Position("t.yml", 2, 1));
        YamlNode.Mapping bb = (YamlNode.Mapping) root.get("bb").orElseThrow();
        YamlNode.Sequence c = (YamlNode.Sequence) bb.get("c").orElseThrow();
        assertThat(c.items().get(1).position()).isEqualTo(new Position("t.yml", 3, 10));
        assertThat(((YamlNode.Scalar) c.items().get(0)).plain()).isTrue();
        assertThat(((YamlNode.Scalar) c.items().get(1)).plain()).isFalse();
    }

    @Test
    void mergeKeysLetExplicitKeysWin() {
        YamlNode.Mapping root = (YamlNode.Mapping) read("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n").get(0);
        YamlNode.Mapping use = (YamlNode.Mapping) root.get("use").orElseThrow();
        assertThat(use.entries().keySet()).containsExactly("y", "x");
        assertThat(((YamlNode.Scalar) use.get("y").orElseThrow()).value()).isEqualTo("3");
    }

    @Test
    void readsEveryDocumentAndSkipsEmptyOnes() {
        assertThat(read("a: 1\n---\n---\nb: 2\n")).hasSize(2);
        assertThat(read("")).isEmpty();
    }

    @Test
    void refusesDuplicateKeysNamingBothLines() {
        assertThat(ErrorText.of(() -> read("a: 1\nb: 2\na: 3\n")))
                .isEqualTo("t.yml:3:1: error: duplicate key \"a\" (first defined at line 1)");
    }

    @Test
    void refusesAliasBombsByCountingExpandedNodes() {
        StringBuilder yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            yaml.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 10; i++) {
                yaml.append(i == 0 ? "" : ", ").append('*').append((char) (c - 1));
            }
            yaml.append("]\n");
        }
        assertThatThrownBy(() -> read(yaml.toString())).isInstanceOf(YamlException.class)
                .hasMessageContaining("expands to more than 2000000 nodes through aliases");
    }

    @Test
    void allowsModestAliasReuse() {
        assertThat(read("a: &a {x: 1}\nb: *a\nc: *a\n")).hasSize(1);
    }

    @Test
    void refusesDeepNesting() {
        String deep = "[".repeat(65) + "]".repeat(65);
        assertThatThrownBy(() -> read(deep)).hasMessageContaining("nesting deeper than 64 levels");
        assertThat(read("[".repeat(63) + "]".repeat(63))).hasSize(1);
    }

    @Test
    void refusesInvalidUtf8WithLineAndColumn() {
        byte[] bytes = {'a', ':', ' ', '1', '\n', 'b', ':', ' ', (byte) 0xC3, '(', '\n'};
        assertThat(ErrorText.of(() -> new YamlReader().read(bytes, "t.yml")))
                .isEqualTo("t.yml:2:4: error: byte 0xC3 at offset 8 is not valid UTF-8; save the file as UTF-8");
    }

    @Test
    void refusesFilesOverTheSizeLimitBeforeReadingThem(@TempDir Path dir) throws IOException {
        Path big = dir.resolve("big.yml");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(YamlLimits.DEFAULT.maxBytes() + 1);
        }
        assertThat(ErrorText.of(() -> new YamlReader().read(big, "big.yml")))
                .isEqualTo("big.yml: error: file is 33554433 bytes; the limit is 33554432 bytes (32 MiB)");
    }

    @Test
    void reportsSyntaxErrorsWithTheirPosition() {
        assertThatThrownBy(() -> read("a: [1, 2\nb: 3\n")).isInstanceOf(YamlException.class);
        assertThat(ErrorText.of(() -> read("a: [1, 2\nb: 3\n"))).startsWith("t.yml:2:");
    }

    @Test
    void refusesNonStringKeys() {
        assertThatThrownBy(() -> read("? [a, b]\n: 1\n")).hasMessageContaining("a map key must be a plain string");
    }

    @Test
    void ignoresByteOrderMark() {
        assertThat(read("\uFEFFa: 1\n")).hasSize(1);
    }
}
