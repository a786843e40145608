package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.Platform;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundles i2kit writes run under a real OCI runtime: Debian's runc, on this host.
 * {@link BundleSpecCrunIT} runs the same checks under crun, the offline profile's runtime.
 */
class BundleSpecRuncIT {
    private static final List<String> WEB_CAPS = List.of("CAP_NET_BIND_SERVICE", "CAP_CHOWN");
    @TempDir
    static Path dir;

    @BeforeAll
    static void hostFiles() throws IOException {
        Files.createDirectories(dir.resolve("host-etc"));
        Files.writeString(dir.resolve("host-etc/hosts"), "10.0.2.100 queue.polls.i2kit.internal queue\n");
    }

    /** runc wants a real directory as the root, so each bundle gets its own small busybox tree. */
    private static void busyboxRootfs(Path rootfs) throws IOException {
        Files.createDirectories(rootfs);
        Path bin = Files.createDirectories(rootfs.resolve("bin"));
        Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
        for (String applet : List.of("sh", "cat", "grep", "id", "echo", "ls", "touch")) {
            Files.createSymbolicLink(bin.resolve(applet), Path.of("busybox"));
        }
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/hosts"), "127.0.0.1 image-own-hosts\n");
    }

    /** The runtime's name, found on the PATH. */
    String runtime() {
        return "runc";
    }

    /** The command line that runs the runtime with {@code args}. */
    List<String> command(String... args) {
        List<String> command = new java.util.ArrayList<>(List.of(runtime()));
        command.addAll(List.of(args));
        return command;
    }

    private String run(ContainerTemplate c, ImageConfig image) throws IOException, InterruptedException {
        Path bundle = Files.createDirectories(dir.resolve(c.name()));
        if (!Files.exists(bundle.resolve("rootfs"))) {
            busyboxRootfs(bundle.resolve("rootfs"));
        }
        Files.writeString(bundle.resolve("config.json"), BundleSpec.config(c, image));
        String id = "i2kit-test-" + UUID.randomUUID().toString().substring(0, 8);
        Process p = new ProcessBuilder(command("run", "--bundle", bundle.toString(), id))
                .redirectErrorStream(true).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(runtime() + " finished").isTrue();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.exitValue()).as(runtime() + " output: %s", out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
            new ProcessBuilder(command("delete", "--force", id)).start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static ImageConfig image(List<String> entrypoint, List<String> cmd, List<String> env, String user) {
        return new ImageConfig(Platform.LINUX_AMD64, entrypoint, cmd, env, Optional.of("/"),
                Optional.ofNullable(user), Map.of(), List.of());
    }

    private static ContainerTemplate container(String name, List<String> command, List<String> env, List<String> caps,
                                               boolean readonly, Optional<String> uid) {
        return new ContainerTemplate(name, "test", command.isEmpty() ? Optional.empty() : Optional.of(command),
                env.isEmpty() ? Optional.empty() : Optional.of(env), Optional.of(caps), List.of(),
                Optional.of(List.of(dir.resolve("host-etc/hosts") + ":/etc/hosts:ro")), List.of(), List.of(),
                Optional.of("host"), Optional.empty(), Optional.of(readonly), Optional.empty(), uid, Optional.empty());
    }

    @Test
    void runsWithExactlyTheRenderedCapabilitiesAndTheBoundHostsFile() throws Exception {
        String out = run(container("caps", List.of("/bin/sh", "-c",
                        "grep CapEff /proc/self/status; cat /etc/hosts; echo uid=$(id -u); echo GREETING=$GREETING"),
                List.of("GREETING=hello"), WEB_CAPS, true, Optional.empty()), image(List.of(), List.of("true"), List.of(), null));
        // CAP_CHOWN is bit 0, CAP_NET_BIND_SERVICE bit 10: exactly 0x401
        assertThat(out).contains("CapEff:\t0000000000000401", "queue.polls.i2kit.internal", "uid=0", "GREETING=hello")
                .doesNotContain("image-own-hosts");
    }

    @Test
    void takesCommandEnvironmentAndUserFromTheImageWhenTheYamlSaysNothing() throws Exception {
        String out = run(container("defaults", List.of(), List.of(), List.of(), true, Optional.empty()),
                image(List.of("/bin/sh", "-c"), List.of("echo FROM_IMAGE=$FROM_IMAGE uid=$(id -u) gid=$(id -g)"),
                        List.of("FROM_IMAGE=yes", "PATH=/bin"), "1000:1001"));
        assertThat(out).contains("FROM_IMAGE=yes uid=1000 gid=1001");
    }

    @Test
    void aReadonlyRootRefusesWritesAndAWritableOneAcceptsThem() throws Exception {
        String readonly = run(container("ro", List.of("/bin/sh", "-c", "touch /x 2>&1 || echo REFUSED"), List.of(),
                List.of(), true, Optional.empty()), image(List.of(), List.of(), List.of(), null));
        assertThat(readonly).contains("REFUSED");
        String writable = run(container("rw", List.of("/bin/sh", "-c", "touch /tmp-i2kit-w && echo WROTE; rm -f /tmp-i2kit-w"),
                List.of(), List.of(), false, Optional.empty()), image(List.of(), List.of(), List.of(), null));
        assertThat(writable).contains("WROTE");
    }

    @Test
    void sharesTheHostNetworkButNotItsProcesses() throws Exception {
        String out = run(container("ns", List.of("/bin/sh", "-c", "echo pid=$$; ls /sys/class/net"), List.of(),
                List.of(), true, Optional.empty()), image(List.of(), List.of(), List.of(), null));
        assertThat(out).contains("pid=1", "lo");
        assertThat(out).containsPattern("(eth|ens|enp|veth|docker)");
    }
}
