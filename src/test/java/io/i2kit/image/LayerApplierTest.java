package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Device;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LayerApplierTest {
    @TempDir
    Path dir;

    private FileTree flatten(TestLayers... layers) {
        I2kitHome home = new I2kitHome(dir.resolve("home"));
        List<Stored> stored = Arrays.stream(layers).map(l -> l.store(home.blobs(), Packing.GZIP)).toList();
        List<UnpackedLayer> unpacked = new LayerUnpacker(home.blobs(), home)
                .unpack(ImageFixtures.pulled(stored), Progress.NONE);
        return new LayerApplier().flatten(unpacked);
    }

    @Test
    void whiteoutsAndOpaqueDirectoriesHideOnlyWhatLowerLayersHold() {
        FileTree tree = flatten(
                TestLayers.tar().file("etc/a", "1").file("etc/b", "1").file("var/lib/x", "1").file("var/lib/y", "1")
                        .file("opt/keep", "1"),
                TestLayers.tar().file("etc/.wh.a", "").file("var/lib/z", "2").file("var/lib/.wh..wh..opq", "")
                        .file("opt/.wh.gone", ""),
                TestLayers.tar().file("etc/a", "3").file("var/.wh.lib", "").file("var/new", "3"));

        assertThat(tree.entries().keySet())
                .containsExactly("etc", "etc/a", "etc/b", "opt", "opt/keep", "var", "var/new");
        assertThat(content(tree, "etc/a")).isEqualTo("3");
    }

    @Test
    void theOpaqueMarkerKeepsEntriesOfItsOwnLayer() {
        FileTree tree = flatten(
                TestLayers.tar().file("d/old", "1"),
                TestLayers.tar().file("d/new", "2").file("d/.wh..wh..opq", ""));

        assertThat(tree.entries().keySet()).containsExactly("d", "d/new");
    }

    @Test
    void aSymlinkToOutsideCannotCarryALaterEntryOutOfTheRoot() {
        FileTree tree = flatten(
                TestLayers.tar().symlink("evil", "/").symlink("up", "../.."),
                TestLayers.tar().file("evil/etc/x", "x").file("up/etc/y", "y"),
                TestLayers.tar().file("evil/.wh.up", ""));

        assertThat(tree.entries().keySet()).containsExactly("etc", "etc/x", "etc/y", "evil");
        LayerStackProperties.assertContained(tree);
    }

    @Test
    void hardLinksJoinEntriesOfLowerLayersAndRefuseMissingTargets() {
        FileTree tree = flatten(
                TestLayers.tar().file("bin/busybox", "bb", 0755, 0, 0),
                TestLayers.tar().hardlink("bin/sh", "bin/busybox"));
        assertThat(HardLinks.of(tree).groups().values()).containsExactly(List.of("bin/busybox", "bin/sh"));

        assertThatThrownBy(() -> flatten(TestLayers.tar().file("a", "a"), TestLayers.tar().hardlink("b", "missing")))
                .isInstanceOf(I2kitException.class)
                .hasMessageMatching("(?s)layer sha256:[0-9a-f]{64} \\(diff_id [0-9a-f]{12}\\): entry \"b\" cannot be "
                        + "applied: cannot hard-link \"b\" to \"missing\".*");
    }

    @Test
    void keepsOwnersModesAndDeviceNodesWithoutPrivileges() {
        FileTree tree = flatten(TestLayers.tar().file("usr/bin/sudo", "s", 04755, 0, 0)
                .file("home/app/data", "d", 0600, 1000, 1001).device("dev/console", false, 5, 1)
                .device("dev/vda", true, 254, 0).fifo("run/initctl"));

        assertThat(tree.get("usr/bin/sudo").orElseThrow().meta()).isEqualTo(new Meta(04755, 0, 0));
        assertThat(tree.get("home/app/data").orElseThrow().meta()).isEqualTo(new Meta(0600, 1000, 1001));
        assertThat(tree.get("dev/console")).contains(new Device(new Meta(0660, 0, 6), false, 5, 1));
        assertThat(tree.get("dev/vda")).contains(new Device(new Meta(0660, 0, 6), true, 254, 0));
        assertThat(tree.get("run/initctl").orElseThrow()).isInstanceOf(Entry.Fifo.class);
    }

    @Test
    void theSameLayersGiveTheSameInitrdFromAFreshCache() {
        TestLayers base = TestLayers.tar().file("bin/busybox", "bb", 0755, 0, 0).hardlink("bin/sh", "bin/busybox")
                .symlink("lib", "usr/lib").device("dev/null", false, 1, 3);
        TestLayers top = TestLayers.tar().file("lib/libc.so", "c").file("bin/.wh.sh", "");
        byte[] first = InitrdWriterTest.write(flatten(base, top), Compression.ZSTD);
        dir = dir.resolve("fresh");

        byte[] second = InitrdWriterTest.write(flatten(base, top), Compression.ZSTD);

        assertThat(second).isEqualTo(first);
    }

    static String content(FileTree tree, String path) {
        try (var in = ((RegularFile) tree.get(path).orElseThrow()).content().open()) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
