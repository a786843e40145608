package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same inputs, byte-identical image: the example web service built from two empty
 * {@code $I2KIT_HOME}s (each bootstrapped from Debian's packages) gives the same kernel, initrd,
 * cmdline and raw-efi disk; and an unchanged service is not rebuilt, also into a new --out.
 */
class ReproducibleBuildIT {
    @TempDir
    Path dir;

    @Test
    void twoEmptyHomesBuildTheSameBytesAndAnUnchangedServiceIsUpToDate() throws Exception {
        BootstrappedHome.get(); // the example images
        Path app = Files.createDirectories(dir.resolve("web"));
        String manifest = Files.readString(Path.of("examples/web/i2kit.yml"))
                .replace("oci:../images/web/oci:latest", "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest");
        Files.writeString(app.resolve("i2kit.yml"), manifest);
        Path[] outs = new Path[2];
        for (int i = 0; i < 2; i++) {
            Path home = BootstrappedHome.bootstrap(dir.resolve("home-" + i), false).root();
            Files.deleteIfExists(app.resolve("i2kit.lock"));
            outs[i] = dir.resolve("out-" + i);
            Cli.Run run = Cli.run(home, "build", "-f", app.toString(), "--format", "kernel+initrd,raw-efi",
                    "--out", outs[i].toString()).assertSuccess();
            assertThat(run.out()).startsWith("web: built sha256:");
        }
        for (String file : new String[] {"web-kernel", "web-initrd.img", "web-cmdline", "web-efi.img", "web.yml"}) {
            assertThat(Files.mismatch(outs[0].resolve(file), outs[1].resolve(file))).as(file).isEqualTo(-1L);
        }
        Cli.Run again = Cli.run(dir.resolve("home-1"), "build", "-f", app.toString(), "--format", "kernel+initrd,raw-efi",
                "--out", dir.resolve("out-new").toString()).assertSuccess();
        assertThat(again.out()).startsWith("web: up to date sha256:");
        assertThat(Files.mismatch(outs[0].resolve("web-initrd.img"), dir.resolve("out-new/web-initrd.img"))).isEqualTo(-1L);
    }
}
