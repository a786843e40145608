package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.I2kitException;
import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.statistics.Statistics;

class LayerStackProperties {
    /** Every path is normal and every ancestor of an entry is a directory of the tree. */
    static void assertContained(FileTree tree) {
        tree.entries().keySet().forEach(path -> {
            assertThat(TreePath.normalise(path)).isEqualTo(path);
            assertThat(path).isNotEmpty();
            for (String p = TreePath.parent(path); !p.isEmpty(); p = TreePath.parent(p)) {
                assertThat(tree.get(p)).as("parent %s of %s", p, path).get().isInstanceOf(Entry.Directory.class);
            }
        });
    }

    @Property(tries = 50)
    void noStackOfLayersPutsAnEntryOutsideTheRoot(@ForAll("stacks") List<TestLayers> stack) throws IOException {
        Path dir = Files.createTempDirectory("i2kit-layer-stack");
        try {
            I2kitHome home = new I2kitHome(dir);
            List<Stored> stored = stack.stream().map(l -> l.store(home.blobs(), Packing.PLAIN)).toList();
            FileTree tree;
            try {
                tree = new LayerApplier().flatten(
                        new LayerUnpacker(home.blobs(), home).unpack(ImageFixtures.pulled(stored), Progress.NONE));
            } catch (I2kitException refused) {
                assertThat(refused.getMessage()).contains("layer sha256:");
                Statistics.label("outcome").collect("refused");
                return;
            }
            assertContained(tree);
            Statistics.label("outcome").collect(tree.size() > 1 ? "applied, several entries" : "applied, at most one");
        } finally {
            LayerUnpacker.deleteTree(dir);
        }
    }

    @Provide
    Arbitrary<List<TestLayers>> stacks() {
        Arbitrary<String> name = Arbitraries.frequency(Tuple.of(6, "a"), Tuple.of(6, "b"), Tuple.of(1, ".."),
                        Tuple.of(1, "."), Tuple.of(1, "/"), Tuple.of(2, ".wh.a"), Tuple.of(2, ".wh..wh..opq"),
                        Tuple.of(1, ".wh..."))
                .list().ofMinSize(1).ofMaxSize(4).map(parts -> String.join("/", parts));
        Arbitrary<String> target = Arbitraries.of("/", "..", "../..", "a", "/a/b", "../b", "b/../../a");
        Arbitrary<List<String>> op = Arbitraries.frequencyOf(
                Tuple.of(4, name.map(n -> List.of("file", n))),
                Tuple.of(2, name.map(n -> List.of("dir", n))),
                Tuple.of(2, Arbitraries.of("link").flatMap(k -> name.flatMap(n -> target.map(t -> List.of(k, n, t))))),
                Tuple.of(1, Arbitraries.of("hard").flatMap(k -> name.flatMap(n -> name.map(t -> List.of(k, n, t))))));
        Arbitrary<TestLayers> layer = op.list().ofMaxSize(6).map(ops -> {
            TestLayers tar = TestLayers.tar();
            for (List<String> o : ops) {
                switch (o.get(0)) {
                    case "file" -> tar.file(o.get(1), "x");
                    case "dir" -> tar.dir(o.get(1));
                    case "link" -> tar.symlink(o.get(1), o.get(2));
                    default -> tar.hardlink(o.get(1), o.get(2));
                }
            }
            return tar;
        });
        return layer.list().ofMinSize(1).ofMaxSize(3);
    }
}
