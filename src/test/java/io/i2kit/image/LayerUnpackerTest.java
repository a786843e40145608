package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.image.LayerEntry.Type;
import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.BlobMismatchException;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LayerUnpackerTest {
    @TempDir
    Path dir;

    private I2kitHome home() {
        return new I2kitHome(dir.resolve("home"));
    }

    private LayerUnpacker unpacker() {
        return new LayerUnpacker(home().blobs(), home());
    }

    private static TestLayers sample() {
        return TestLayers.tar().dir("etc/").file("etc/hosts", "127.0.0.1 localhost\n", 0644, 0, 0)
                .symlink("bin", "usr/bin").hardlink("etc/hosts2", "etc/hosts").device("dev/sda", true, 8, 0)
                .fifo("run/fifo").file("etc/.wh.motd", "").file("var/.wh..wh..opq", "");
    }

    @ParameterizedTest
    @EnumSource(Packing.class)
    void unpacksWhateverTheCompressionAndRecordsEveryKindOfEntry(Packing packing) throws IOException {
        Stored layer = sample().store(home().blobs(), packing);

        UnpackedLayer unpacked = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);

        assertThat(unpacked.dir()).isEqualTo(home().layers().resolve(layer.diffId().hex()));
        assertThat(unpacked.entries()).extracting(LayerEntry::type, LayerEntry::path).containsExactly(
                org.assertj.core.groups.Tuple.tuple(Type.DIRECTORY, "etc"),
                org.assertj.core.groups.Tuple.tuple(Type.FILE, "etc/hosts"),
                org.assertj.core.groups.Tuple.tuple(Type.SYMLINK, "bin"),
                org.assertj.core.groups.Tuple.tuple(Type.HARDLINK, "etc/hosts2"),
                org.assertj.core.groups.Tuple.tuple(Type.BLOCK_DEVICE, "dev/sda"),
                org.assertj.core.groups.Tuple.tuple(Type.FIFO, "run/fifo"),
                org.assertj.core.groups.Tuple.tuple(Type.WHITEOUT, "etc/motd"),
                org.assertj.core.groups.Tuple.tuple(Type.OPAQUE, "var"));
        LayerEntry hosts = unpacked.entries().get(1);
        assertThat(Files.readString(unpacked.dir().resolve(hosts.data()))).isEqualTo("127.0.0.1 localhost\n");
        assertThat(unpacked.entries().get(4)).extracting(LayerEntry::major, LayerEntry::minor, LayerEntry::gid)
                .containsExactly(8, 0, 6L);
        assertThat(unpacked.entries().get(3).link()).isEqualTo("etc/hosts");
    }

    @Test
    void aCachedLayerIsNotReadAgain() throws IOException {
        Stored layer = sample().store(home().blobs(), Packing.GZIP);
        UnpackedLayer first = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);
        Files.delete(home().blobs().path(layer.descriptor().digest()));

        UnpackedLayer again = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);

        assertThat(again).isEqualTo(first);
    }

    @Test
    void aCachedLayerWithAFileCutShortIsUnpackedAgainFromItsBlob() throws IOException {
        Stored layer = sample().store(home().blobs(), Packing.GZIP);
        UnpackedLayer first = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);
        Path hosts = first.dir().resolve(first.entries().get(1).data());
        Files.writeString(hosts, "127.0.0.1"); // as a crash before the disk had all of it would leave it

        UnpackedLayer again = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);

        assertThat(again).isEqualTo(first);
        assertThat(Files.readString(again.dir().resolve(again.entries().get(1).data()))).isEqualTo("127.0.0.1 localhost\n");
    }

    @Test
    void aDiffIdMismatchLeavesNothingInTheCache() throws IOException {
        Stored layer = sample().store(home().blobs(), Packing.ZSTD);
        Digest wrong = Digest.of(new byte[] {1});

        assertThatThrownBy(() -> unpacker().unpack(layer.descriptor(), wrong, Progress.NONE))
                .isInstanceOf(BlobMismatchException.class)
                .hasMessageContaining(layer.descriptor().digest().toString())
                .hasMessageContaining("expected " + wrong);
        assertThat(home().layers().resolve(wrong.hex())).doesNotExist();
        assertThat(home().layers().resolve(layer.diffId().hex())).doesNotExist();
        try (Stream<Path> litter = Files.list(home().tmp())) {
            assertThat(litter.filter(p -> p.getFileName().toString().startsWith("layer-"))).isEmpty();
        }
    }

    @Test
    void twoBuildsUnpackingTheSameLayerAtOnceBothSucceedWithOneCacheEntry() throws Exception {
        Stored layer = sample().store(home().blobs(), Packing.GZIP);
        CyclicBarrier start = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<UnpackedLayer>> results = pool.invokeAll(List.of(
                    () -> { start.await(); return unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE); },
                    () -> { start.await(); return unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE); }));
            assertThat(results.get(0).get()).isEqualTo(results.get(1).get());
        } finally {
            pool.shutdownNow();
        }
        try (Stream<Path> cached = Files.list(home().layers()); Stream<Path> tmp = Files.list(home().tmp())) {
            assertThat(cached).containsExactly(home().layers().resolve(layer.diffId().hex()));
            assertThat(tmp.filter(p -> p.getFileName().toString().startsWith("layer-"))).isEmpty();
        }
    }

    @Test
    void refusesALayerThatUnpacksToMoreThanTheCapsAllowAndCachesNothing() {
        Stored layer = TestLayers.tar().file("a", "12345").file("b", "67890").file("c", "x")
                .store(home().blobs(), Packing.GZIP);
        LayerUnpacker byEntries = new LayerUnpacker(home().blobs(), home(), new LayerLimits(1 << 20, 2));
        assertThatThrownBy(() -> byEntries.unpack(layer.descriptor(), layer.diffId(), Progress.NONE))
                .isInstanceOf(I2kitException.class)
                .hasMessageContaining("layer " + layer.descriptor().digest())
                .hasMessageContaining("more than 2 entries").hasMessageContaining("I2KIT_MAX_LAYER_ENTRIES");
        LayerUnpacker byBytes = new LayerUnpacker(home().blobs(), home(), new LayerLimits(9, 100));
        assertThatThrownBy(() -> byBytes.unpack(layer.descriptor(), layer.diffId(), Progress.NONE))
                .hasMessageContaining("more than 9 bytes of files").hasMessageContaining("I2KIT_MAX_LAYER_BYTES");
        assertThat(home().layers().resolve(layer.diffId().hex())).doesNotExist();
        assertThat(new LayerUnpacker(home().blobs(), home(), new LayerLimits(11, 3))
                .unpack(layer.descriptor(), layer.diffId(), Progress.NONE)).as("exactly at the caps").isNotNull();
    }

    @Test
    void refusesNamesClimbingOutOfTheRootNamingTheLayerAndEntry() {
        Stored layer = TestLayers.tar().file("ok", "fine").file("../etc/passwd", "root::0:0::/:/bin/sh")
                .store(home().blobs(), Packing.GZIP);

        assertThatThrownBy(() -> unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE))
                .isInstanceOf(I2kitException.class)
                .hasMessageContaining("layer " + layer.descriptor().digest())
                .hasMessageContaining("entry \"../etc/passwd\" is refused")
                .hasMessageContaining("climbs above the root");
        assertThat(home().layers().resolve(layer.diffId().hex())).doesNotExist();
    }

    @Test
    void refusesHardLinksToOutsideAndWhiteoutsOfTheParent() {
        Stored link = TestLayers.tar().hardlink("x", "../../x").store(home().blobs(), Packing.PLAIN);
        Stored whiteout = TestLayers.tar().file("etc/.wh...", "").store(home().blobs(), Packing.PLAIN);

        assertThatThrownBy(() -> unpacker().unpack(link.descriptor(), link.diffId(), Progress.NONE))
                .hasMessageContaining("entry \"x\" is refused").hasMessageContaining("\"../../x\"");
        assertThatThrownBy(() -> unpacker().unpack(whiteout.descriptor(), whiteout.diffId(), Progress.NONE))
                .hasMessageContaining("entry \"etc/.wh...\" is refused").hasMessageContaining("whiteout of \"..\"");
    }

    @Test
    void absoluteNamesAreTakenFromTheRoot() {
        Stored layer = TestLayers.tar().file("/abs", "a").hardlink("/abs2", "/abs").store(home().blobs(), Packing.PLAIN);

        UnpackedLayer unpacked = unpacker().unpack(layer.descriptor(), layer.diffId(), Progress.NONE);

        assertThat(unpacked.entries()).extracting(LayerEntry::path).containsExactly("abs", "abs2");
        assertThat(unpacked.entries().get(1).link()).isEqualTo("abs");
    }

    @Test
    void unpacksEveryLayerOfAPulledImageInOrder() {
        Stored a = TestLayers.tar().file("a", "1").store(home().blobs(), Packing.GZIP);
        Stored b = TestLayers.tar().file("b", "2").store(home().blobs(), Packing.ZSTD);
        var image = ImageFixtures.pulled(List.of(a, b));

        List<UnpackedLayer> layers = unpacker().unpack(image, Progress.NONE);

        assertThat(layers).extracting(UnpackedLayer::diffId).containsExactly(a.diffId(), b.diffId());
    }
}
