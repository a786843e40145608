package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.image.Compression;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.testing.StoreImages;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceBuilderTest {
    private static final String YAML = """
            kernel:
              image: kernel
              cmdline: console=ttyS0
            init:
              - init
            services:
              - name: web
                image: app
                capabilities:
                  - CAP_NET_BIND_SERVICE
            files:
              - path: etc/i2kit/service.json
                contents: "{}"
                mode: "0644"
            """;

    @TempDir
    Path tmp;
    final AtomicInteger efiWrites = new AtomicInteger();

    private ServiceBuilder.Request request(I2kitHome home, boolean efi) {
        FileTree kernel = new FileTree();
        kernel.addFile("kernel", Meta.of(0644), "bzImage".getBytes(StandardCharsets.UTF_8));
        FileTree init = new FileTree();
        init.addFile("init", Meta.of(0755), "#!/bin/busybox sh\n".getBytes(StandardCharsets.UTF_8));
        FileTree app = new FileTree();
        app.addFile("bin/app", Meta.of(0755), "app".getBytes(StandardCharsets.UTF_8));
        Map<String, PulledImage> images = Map.of(
                "kernel", StoreImages.image(home.blobs(), "kernel", kernel, List.of(), Map.of()),
                "init", StoreImages.image(home.blobs(), "init", init, List.of(), Map.of()),
                "app", StoreImages.image(home.blobs(), "app", app, List.of("/bin/app"), Map.of()));
        return new ServiceBuilder.Request("shop", "web", YAML, images, Compression.GZIP, efi);
    }

    private ServiceBuilder builder(I2kitHome home) {
        return new ServiceBuilder(home, (disk, kernel, initrd, cmdline, image, progress) -> {
            efiWrites.incrementAndGet();
            try {
                Files.writeString(disk, "disk of " + image);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Test
    void buildsOnceThenFindsTheImageInTheCache() throws IOException {
        I2kitHome home = new I2kitHome(tmp.resolve("home"));
        ServiceBuilder builder = builder(home);
        BuiltImage first = builder.build(request(home, false), Progress.NONE);
        assertThat(first.upToDate()).isFalse();
        assertThat(first.kernel()).hasContent("bzImage");
        assertThat(first.cmdline()).isEqualTo("console=ttyS0");
        assertThat(Files.size(first.initrd())).isPositive();
        assertThat(first.record().images()).containsOnlyKeys("kernel", "init", "app");
        BuiltImage second = builder.build(request(home, false), Progress.NONE);
        assertThat(second.upToDate()).isTrue();
        assertThat(second.digest()).isEqualTo(first.digest());
        try (var left = Files.list(home.builds().resolve("tmp"))) {
            assertThat(left).as("no workspace left behind").isEmpty();
        }
    }

    @Test
    void aCachedImageDamagedOnDiskIsRebuiltNotReused() throws IOException {
        I2kitHome home = new I2kitHome(tmp.resolve("home"));
        ServiceBuilder builder = builder(home);
        BuiltImage first = builder.build(request(home, false), Progress.NONE);
        byte[] initrd = Files.readAllBytes(first.initrd());
        initrd[initrd.length / 2] ^= 1;
        Files.write(first.initrd(), initrd);

        BuiltImage again = builder.build(request(home, false), Progress.NONE);
        assertThat(again.upToDate()).as("a damaged initrd is a cache miss").isFalse();
        assertThat(again.digest()).isEqualTo(first.digest());
        assertThat(Files.readAllBytes(again.initrd())).isNotEqualTo(initrd);
        assertThat(builder.build(request(home, false), Progress.NONE).upToDate()).isTrue();
    }

    @Test
    void twoEmptyHomesBuildByteIdenticalImages() throws IOException {
        I2kitHome a = new I2kitHome(tmp.resolve("a"));
        I2kitHome b = new I2kitHome(tmp.resolve("b"));
        BuiltImage one = builder(a).build(request(a, false), Progress.NONE);
        BuiltImage two = builder(b).build(request(b, false), Progress.NONE);
        assertThat(one.digest()).isEqualTo(two.digest());
        assertThat(Files.readAllBytes(one.initrd())).isEqualTo(Files.readAllBytes(two.initrd()));
    }

    @Test
    void rawEfiIsAPackagingOfTheSameIdentity() {
        I2kitHome home = new I2kitHome(tmp.resolve("home"));
        ServiceBuilder builder = builder(home);
        BuiltImage plain = builder.build(request(home, false), Progress.NONE);
        BuiltImage efi = builder.build(request(home, true), Progress.NONE);
        assertThat(efi.digest()).isEqualTo(plain.digest());
        assertThat(efi.efi()).hasValueSatisfying(p -> assertThat(p).hasContent("disk of " + plain.digest()));
        assertThat(builder.build(request(home, true), Progress.NONE).upToDate()).isTrue();
        assertThat(efiWrites).hasValue(1);
    }
}
