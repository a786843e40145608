package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Entry.Meta;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TreePathProperties {
    @Property
    void aNormalPathNeverLeavesTheRoot(@ForAll("paths") String raw) {
        String normal;
        try {
            normal = TreePath.normalise(raw);
        } catch (PathEscapeException refused) {
            return;
        }
        assertThat(normal).doesNotStartWith("/").doesNotEndWith("/");
        if (!normal.isEmpty()) {
            assertThat(normal.split("/")).doesNotContain("..", ".", "");
        }
        assertThat(TreePath.normalise(normal)).isEqualTo(normal);
    }

    /** Whatever symlinks and names a tree is given, every entry sits below real directories. */
    @Property(tries = 300)
    void noSequenceOfAdditionsPutsAnEntryOutsideTheRoot(@ForAll("operations") List<List<String>> operations) {
        FileTree tree = new FileTree();
        for (List<String> op : operations) {
            try {
                if (op.get(0).equals("link")) {
                    tree.addSymlink(op.get(1), Meta.of(0777), op.get(2));
                } else {
                    tree.addFile(op.get(1), Meta.of(0644), new byte[0]);
                }
            } catch (io.i2kit.I2kitException refused) {
                // refusing is a correct answer (an escape, a link loop, a file as the root)
            }
        }
        LayerStackProperties.assertContained(tree);
    }

    @Provide
    Arbitrary<String> paths() {
        return Arbitraries.of("a", "b", "..", ".", "", "/", "c.d", "...")
                .list().ofMaxSize(8).map(parts -> String.join("/", parts));
    }

    @Provide
    Arbitrary<List<List<String>>> operations() {
        Arbitrary<String> path = paths().filter(p -> !p.isEmpty());
        Arbitrary<String> target = Arbitraries.of("/", "..", "../..", "a", "/a/b", "../b", "a/../..", "b/a");
        Arbitrary<List<String>> link = Arbitraries.of("link").flatMap(k -> path.flatMap(p -> target.map(t -> List.of(k, p, t))));
        Arbitrary<List<String>> file = path.map(p -> List.of("file", p));
        return Arbitraries.oneOf(link, file).list().ofMaxSize(12);
    }
}
