package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Compression;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.testing.StoreImages;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CachePrunerTest {
    @TempDir
    Path tmp;

    private BuiltImage build(I2kitHome home, String text) {
        FileTree kernel = new FileTree();
        kernel.addFile("kernel", Meta.of(0644), ("bzImage " + text).getBytes(StandardCharsets.UTF_8));
        FileTree init = new FileTree();
        init.addFile("init", Meta.of(0755), "#!/bin/busybox sh\n".getBytes(StandardCharsets.UTF_8));
        Map<String, PulledImage> images = Map.of(
                "kernel", StoreImages.image(home.blobs(), "kernel-" + text, kernel, List.of(), Map.of()),
                "init", StoreImages.image(home.blobs(), "init", init, List.of(), Map.of()));
        String yaml = "kernel:\n  image: kernel\n  cmdline: console=ttyS0\ninit:\n  - init\nservices: []\n";
        return new ServiceBuilder(home, (d, k, i, c, image, p) -> { })
                .build(new ServiceBuilder.Request("app", "svc", yaml, images, Compression.NONE, false), Progress.NONE);
    }

    @Test
    void keepsRecentBuildsAndRemovesOldOnesWithWhatOnlyTheyUsed() throws Exception {
        I2kitHome home = new I2kitHome(tmp);
        BuiltImage old = build(home, "old");
        BuiltImage recent = build(home, "recent");
        Files.setLastModifiedTime(old.kernel().resolveSibling(BuildRecord.FILE), FileTime.from(Instant.now().minus(Duration.ofDays(30))));

        CachePruner.Result dry = new CachePruner(home).prune(Duration.ofDays(7), true);
        assertThat(dry.builds()).isEqualTo(1);
        assertThat(old.kernel()).exists();

        CachePruner.Result result = new CachePruner(home).prune(Duration.ofDays(7), false);
        assertThat(result.builds()).isEqualTo(1);
        assertThat(result.bytes()).isPositive();
        assertThat(old.kernel().getParent()).doesNotExist();
        assertThat(recent.kernel()).exists();
        // the recent build still finds everything it needs: a rebuild from its inputs is a cache hit
        assertThat(build(home, "recent").upToDate()).isTrue();
    }

    @Test
    void keepsWhatARunningApplicationBootsWhateverItsAge() throws Exception {
        I2kitHome home = new I2kitHome(tmp);
        BuiltImage running = build(home, "running");
        Files.setLastModifiedTime(running.kernel().resolveSibling(BuildRecord.FILE),
                FileTime.from(Instant.now().minus(Duration.ofDays(30))));
        Path app = Files.createDirectories(tmp.resolve("apps/shop"));
        Files.writeString(app.resolve("running.json"), "{\"services\":[{\"kernel\":\"" + running.kernel()
                + "\",\"metadata\":\"{\\\"x\\\":1}\"}]}");

        assertThat(new CachePruner(home).prune(Duration.ofDays(7), false).builds()).isZero();
        assertThat(running.kernel()).exists();

        Files.delete(app.resolve("running.json"));
        assertThat(new CachePruner(home).prune(Duration.ofDays(7), false).builds()).as("once the application is down")
                .isEqualTo(1);
    }

    @Test
    void waitsForBuildsInProgress() throws Exception {
        I2kitHome home = new I2kitHome(tmp);
        var pruned = new java.util.concurrent.CompletableFuture<CachePruner.Result>();
        try (var build = io.i2kit.oci.store.StoreLock.shared(home, w -> { })) {
            Thread prune = new Thread(() -> pruned.complete(new CachePruner(home).prune(Duration.ofDays(7), false)));
            prune.start();
            prune.join(500);
            assertThat(pruned).as("prune while a build holds the store").isNotDone();
        }
        assertThat(pruned.get(30, java.util.concurrent.TimeUnit.SECONDS)).isNotNull();
    }
}
