package io.i2kit.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.i2kit.image.TestLayers.Packing;
import io.i2kit.image.TestLayers.Stored;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The initrds as the real tools see them (cpio, gzip, zstd, lz4; scripts/setup.d/archive-tools.sh). */
class InitrdToolsIT {
    @TempDir
    Path dir;
    Map<Compression, Path> initrds;

    @BeforeEach
    void writeEveryCompression() throws IOException {
        initrds = new java.util.EnumMap<>(Compression.class);
        for (Compression c : Compression.values()) {
            Path file = dir.resolve("initrd.cpio" + c.suffix());
            Files.write(file, InitrdWriterTest.write(SampleTrees.everyKind(), c));
            initrds.put(c, file);
        }
    }

    @Test
    void cpioListsEveryEntryWithItsTypeModeOwnerAndTarget() throws Exception {
        String listing = run("cpio -itvn < " + initrds.get(Compression.NONE));

        assertThat(listing).containsPattern("(?m)^-rwsr-xr-x +2 0 +0 +10 .* bin/busybox$")
                .containsPattern("(?m)^-rwsr-xr-x +2 0 +0 +0 .* bin/sh$")
                .containsPattern("(?m)^lrwxrwxrwx +1 0 +0 +12 .* init -> /bin/busybox$")
                .containsPattern("(?m)^crw------- +1 0 +5 +5, +1 .* dev/console$")
                .containsPattern("(?m)^brw-rw---- +1 0 +6 +254, +0 .* dev/vda$")
                .containsPattern("(?m)^prw------- +1 0 +0 .* run/initctl$")
                .containsPattern("(?m)^drwxr-x--- +2 1000 +1000 .* home/app$")
                .containsPattern("(?m)^-rw-r----- +1 1000 +1000 +10 .* home/app/notes.txt$")
                .contains("Jan  1  1970");
        assertThat(listing.lines().filter(l -> !l.endsWith("blocks") && !l.endsWith("block")))
                .hasSize(SampleTrees.everyKind().size());
    }

    @Test
    void compressedInitrdsPassTheToolsOwnChecksAndDecompressToTheArchive() throws Exception {
        byte[] plain = Files.readAllBytes(initrds.get(Compression.NONE));
        run("gzip -t " + initrds.get(Compression.GZIP));
        run("zstd -q -t " + initrds.get(Compression.ZSTD));

        for (var c : List.of(Compression.GZIP, Compression.ZSTD, Compression.LZ4)) {
            String tool = switch (c) {
                case GZIP -> "gzip -dc ";
                case ZSTD -> "zstd -q -dc ";
                default -> "lz4 -q -dc ";
            };
            Path out = dir.resolve("out-" + c);
            run(tool + initrds.get(c) + " > " + out);
            assertThat(Files.readAllBytes(out)).as(c.toString()).isEqualTo(plain);
        }
    }

    @Test
    void extractedAsRootTheArchiveReproducesTheTree() throws Exception {
        assumeTrue(isRoot(), "only root can create device nodes and set owners");
        Path root = Files.createDirectories(dir.resolve("root"));
        run("cd " + root + " && gzip -dc " + initrds.get(Compression.GZIP) + " | cpio -idm --quiet");

        assertThat(Files.readString(root.resolve("home/app/notes.txt"))).isEqualTo("odd length");
        assertThat(Files.readSymbolicLink(root.resolve("init"))).isEqualTo(Path.of("/bin/busybox"));
        assertThat(Files.getAttribute(root.resolve("bin/sh"), "unix:ino"))
                .isEqualTo(Files.getAttribute(root.resolve("bin/busybox"), "unix:ino"));
        assertThat(Files.getAttribute(root.resolve("bin/sh"), "unix:mode")).isEqualTo(0104755);
        assertThat(Files.getAttribute(root.resolve("home/app/notes.txt"), "unix:uid")).isEqualTo(1000);
        assertThat(Files.getAttribute(root.resolve("dev/console"), "unix:mode", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo(0020600);
        assertThat(Files.getAttribute(root.resolve("dev/vda"), "unix:rdev", LinkOption.NOFOLLOW_LINKS))
                .isEqualTo((254L << 8) | 0);
        assertThat(Files.getAttribute(root.resolve("run/initctl"), "unix:mode")).isEqualTo(0010600);
    }

    @Test
    void aHostileLayerStackWritesNothingOutsideTheDirectoryItIsExtractedIn() throws Exception {
        assumeTrue(isRoot(), "extracting owners and modes needs root, as a real build check would");
        String canary = "i2kit-escape-" + UUID.randomUUID();
        I2kitHome home = new I2kitHome(dir.resolve("home"));
        List<Stored> layers = List.of(
                TestLayers.tar().symlink("evil", "/").symlink("up", "../../..").store(home.blobs(), Packing.GZIP),
                TestLayers.tar().file("evil/tmp/" + canary, "x").file("up/tmp/" + canary + "-up", "x")
                        .store(home.blobs(), Packing.ZSTD));
        FileTree tree = new LayerApplier().flatten(
                new LayerUnpacker(home.blobs(), home).unpack(ImageFixtures.pulled(layers), Progress.NONE));
        Path initrd = dir.resolve("hostile.cpio");
        Files.write(initrd, InitrdWriterTest.write(tree, Compression.NONE));
        Path root = Files.createDirectories(dir.resolve("hostile-root"));

        run("cd " + root + " && cpio -idm --quiet < " + initrd);

        assertThat(Path.of("/tmp", canary)).doesNotExist();
        assertThat(Path.of("/tmp", canary + "-up")).doesNotExist();
        assertThat(root.resolve("tmp/" + canary)).hasContent("x");
        assertThat(root.resolve("tmp/" + canary + "-up")).hasContent("x");
    }

    private static boolean isRoot() throws Exception {
        return run("id -u").strip().equals("0");
    }

    private static String run(String command) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int status = p.waitFor();
        assertThat(status).as("%s exited %d:%n%s", command, status, out).isZero();
        return out;
    }
}
