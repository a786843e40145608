package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.i2kit.lock.LockFile;
import io.i2kit.event.Progress;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.oci.store.TagIndex;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the base and example images from this machine's apt indexes and Debian's mirror, then
 * runs what was built. Downloads are kept in {@code .tools/deb-cache} between runs (CI may keep it).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BootstrapIT {
    private static final Path DEB_CACHE = Path.of(".tools/deb-cache").toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path tmp;
    private I2kitHome home;
    private Bootstrap.Result first;
    private Path examples;

    @BeforeAll
    void buildOnce() throws IOException {
        assumeTrue(Files.isDirectory(Path.of("/var/lib/apt/lists")), "needs apt's package indexes (apt-get update)");
        home = new I2kitHome(tmp.resolve("home-a"));
        examples = tmp.resolve("examples");
        copyRecipes(Path.of("examples/images"), examples);
        Bootstrap.Options options = Bootstrap.Options.defaults().withDebCache(DEB_CACHE).withExamples(examples);
        first = Bootstrap.run(home, options, Progress.NONE);
    }

    @Test
    void aSecondBuildGivesTheSameDigestsAndAnUnchangedRunBuildsNothing() {
        Bootstrap.Result again = Bootstrap.run(new I2kitHome(tmp.resolve("home-b")),
                Bootstrap.Options.defaults().withDebCache(DEB_CACHE), Progress.NONE);
        assertThat(digests(again.base())).isEqualTo(digests(first.base()));
        assertThat(again.base()).noneMatch(Bootstrap.Image::unchanged);

        Bootstrap.Result rerun = Bootstrap.run(home, Bootstrap.Options.defaults().withDebCache(DEB_CACHE), Progress.NONE);
        assertThat(rerun.base()).allMatch(Bootstrap.Image::unchanged);
        assertThat(digests(rerun.base())).isEqualTo(digests(first.base()));
        TagIndex index = TagIndex.of(home);
        for (Bootstrap.Image image : first.base()) {
            assertThat(index.find(Bootstrap.reference(image.name())).orElseThrow().digest()).isEqualTo(image.manifest().digest());
        }
    }

    @Test
    void kernelImageHasTheKernelAndModulesInLoadOrder() throws Exception {
        Path root = unpack(home.root(), "i2kit.local/kernel:bookworm", "kernel");
        assertThat(Files.size(root.resolve("kernel"))).isGreaterThan(5_000_000);
        Path modules = Files.createDirectories(tmp.resolve("kernel-tar"));
        run(List.of("tar", "-xf", root.resolve("kernel.tar").toString(), "-C", modules.toString()));
        Path release;
        try (Stream<Path> s = Files.list(modules.resolve("lib/modules"))) {
            release = s.findFirst().orElseThrow();
        }
        List<String> load = Files.readAllLines(release.resolve("i2kit.load"));
        List<String> names = load.stream().map(p -> p.substring(p.lastIndexOf('/') + 1).replace(".ko", "")).toList();
        assertThat(names).contains("virtio_net", "virtio_pci", "virtio_blk", "ena", "qemu_fw_cfg").doesNotContain("virtio_scsi", "scsi_mod");
        assertThat(Files.readString(release.resolve("i2kit.alias"))).containsPattern("(?m)^pci:v00001AF4d\\S* kernel/drivers/virtio/virtio_pci\\.ko$")
                .containsPattern("(?m)^virtio:d00000001v\\S* kernel/drivers/net/virtio_net\\.ko$")
                .containsPattern("(?m)^pci:v00001D0Fd\\S* kernel/drivers/net/ethernet/amazon/ena/ena\\.ko$");
        for (String dep : List.of("virtio_ring", "virtio", "failover", "net_failover")) {
            assertThat(names.indexOf(dep)).as(dep + " before virtio_net").isBetween(0, names.indexOf("virtio_net") - 1);
        }
        assertThat(names.indexOf("virtio_pci_modern_dev")).isLessThan(names.indexOf("virtio_pci"));
        for (String path : load) {
            assertThat(release.resolve(path)).isRegularFile();
        }
        assertThat(Files.readString(release.resolve("modules.dep"))).contains("virtio_net.ko: ");
        JsonNode config = config(home.root(), "i2kit.local/kernel:bookworm");
        assertThat(config.path("config").path("Labels").path("io.i2kit.debian.package.linux-image-cloud-amd64").asText()).isNotEmpty();
        assertThat(config.path("architecture").asText()).isEqualTo("amd64");
    }

    @Test
    void runcFromItsImageRunsInABundleUnderTheHostsRunc() throws Exception {
        assumeTrue(isRoot() && onPath("runc"), "needs root and runc (scripts/setup.d/bootstrap.sh installs it)");
        Path bundle = Files.createDirectories(tmp.resolve("runc-bundle"));
        Path rootfs = unpack(home.root(), "i2kit.local/runc:bookworm", "runc-bundle/rootfs");
        assertThat(rootfs.resolve("usr/bin/runc")).isRegularFile();
        assertThat(rootfs.resolve("usr/sbin/runc")).doesNotExist();
        run(List.of("runc", "spec", "--bundle", bundle.toString()));
        ObjectNode spec = (ObjectNode) JSON.readTree(bundle.resolve("config.json").toFile());
        ObjectNode process = (ObjectNode) spec.path("process");
        process.put("terminal", false);
        process.putArray("args").add("/usr/bin/runc").add("--version");
        JSON.writeValue(bundle.resolve("config.json").toFile(), spec);
        String out = run(List.of("runc", "--root", tmp.resolve("runc-state").toString(), "run", "--bundle", bundle.toString(),
                "bootstrap-it-" + ProcessHandle.current().pid()));
        assertThat(out).contains("runc version 1.1", "libseccomp: 2.");
    }

    /** crun and libsystemd0 are dynamically linked: the image must hold every library they name, at its path. */
    @Test
    void crunFromItsImageRunsFromItsOwnRoot() throws Exception {
        assumeTrue(isRoot() && onPath("chroot"), "needs root for chroot");
        Path root = unpack(home.root(), "i2kit.local/crun:bookworm", "crun");
        assertThat(root.resolve("usr/bin/crun")).isRegularFile();
        // crun re-executes itself from a memory file through /proc/self/exe: the chroot needs a /proc
        Files.createDirectories(root.resolve("proc"));
        assertThat(run(List.of("unshare", "-m", "sh", "-c", "mount -t proc proc \"$0/proc\" && exec chroot \"$0\" /usr/bin/crun --version",
                root.toString()))).contains("crun version 1.", "+SECCOMP");
        assertThat(root.resolve("usr/share")).doesNotExist();
    }

    @Test
    void initImageHasBusyboxAppletsAndTheInitFiles() throws Exception {
        assumeTrue(isRoot() && onPath("chroot"), "needs root for chroot");
        Path root = unpack(home.root(), "i2kit.local/init:bookworm", "init");
        assertThat(root.resolve("init")).isExecutable();
        List<String> applets = List.of(run(List.of("chroot", root.toString(), "/bin/busybox", "--list")).split("\n"));
        List<String> links = new ArrayList<>();
        try (Stream<Path> s = Files.list(root.resolve("bin"))) {
            s.filter(Files::isSymbolicLink).forEach(p -> links.add(p.getFileName().toString()));
        }
        assertThat(links).hasSizeGreaterThan(200);
        assertThat(applets).containsAll(links);
        assertThat(run(List.of("chroot", root.toString(), "/bin/sh", "-c", "echo $((6*7))")).strip()).isEqualTo("42");
        // every VM has the init image; what only volumes need (mke2fs, its libraries) is not in it
        assertThat(root.resolve("sbin")).doesNotExist();
        assertThat(root.resolve("lib")).doesNotExist();
        assertThat(root.resolve("usr/lib/x86_64-linux-gnu")).doesNotExist();
    }

    /** e2fsprogs' mke2fs, for the images of services with volumes, runs with only the libraries its image has. */
    @Test
    void mke2fsFromItsImageFormatsAnExt4() throws Exception {
        assumeTrue(isRoot() && onPath("chroot"), "needs root for chroot");
        Path root = unpack(home.root(), "i2kit.local/mke2fs:bookworm", "mke2fs");
        assertThat(root.resolve("bin")).doesNotExist(); // no shell: the init's busybox runs it
        Path disk = root.resolve("v.img");
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "rw")) {
            raf.setLength(16L << 20);
        }
        run(List.of("chroot", root.toString(), "/sbin/mke2fs", "-q", "-t", "ext4", "/v.img"));
        byte[] magic = new byte[2];
        try (RandomAccessFile raf = new RandomAccessFile(disk.toFile(), "r")) {
            raf.seek(1080);
            raf.readFully(magic);
        }
        assertThat(magic).containsExactly(0x53, 0xef);
        assertThat(run(List.of("chroot", root.toString(), "/sbin/mke2fs", "-V"))).contains("mke2fs 1.47");
    }

    @Test
    void systemdBootImageHasTheEfiBinary() throws Exception {
        Path root = unpack(home.root(), "i2kit.local/systemd-boot:bookworm", "systemd-boot");
        byte[] efi = Files.readAllBytes(root.resolve("usr/lib/systemd/boot/efi/systemd-bootx64.efi"));
        assertThat(new String(efi, 0, 2, StandardCharsets.US_ASCII)).isEqualTo("MZ");
    }

    @Test
    void exampleRedisServerRunsFromItsOwnRootfs() throws Exception {
        assumeTrue(isRoot() && onPath("chroot"), "needs root for chroot");
        assertThat(first.examples()).extracting(Bootstrap.Image::name).containsExactly("redis", "result", "vote", "web", "worker");
        Path redis = unpack(examples.resolve("redis/oci"), Bootstrap.EXAMPLE_TAG, "redis");
        assertThat(run(List.of("chroot", redis.toString(), "/usr/bin/redis-server", "--version"))).contains("Redis server v=7.");
        assertThat(redis.resolve("data")).isDirectory();
        assertThat(redis.resolve("usr/share/doc")).doesNotExist();
        JsonNode config = config(examples.resolve("redis/oci"), Bootstrap.EXAMPLE_TAG);
        assertThat(config.path("config").path("WorkingDir").asText()).isEqualTo("/data");
        assertThat(config.path("config").path("ExposedPorts").has("6379/tcp")).isTrue();
        Path vote = unpack(examples.resolve("vote/oci"), Bootstrap.EXAMPLE_TAG, "vote");
        assertThat(run(List.of("chroot", vote.toString(), "/usr/bin/redis-cli", "--version"))).contains("redis-cli 7.");
        assertThat(vote.resolve("srv/www/cgi-bin/vote")).isExecutable();
    }

    /**
     * The redis image has no shell: its password comes from the file the init renders from the image's
     * template (secrets.sh, run here by this machine's busybox), which its configuration includes;
     * without the file, no password.
     */
    @Test
    void exampleRedisTakesItsPasswordFromTheRenderedTemplateWithoutAShell() throws Exception {
        assumeTrue(isRoot() && onPath("chroot") && Files.isExecutable(Path.of("/bin/busybox")), "needs root for chroot, and busybox");
        Path root = unpack(examples.resolve("redis/oci"), Bootstrap.EXAMPLE_TAG, "redis-auth/rootfs"); // a bundle's layout
        assertThat(root.resolve("bin/sh")).doesNotExist();
        assertThat(root.resolve("bin/busybox")).doesNotExist();
        assertThat(root.resolve("usr/bin/redis-cli")).doesNotExist();
        Path client = unpack(examples.resolve("vote/oci"), Bootstrap.EXAMPLE_TAG, "redis-auth-client"); // vote's redis-cli
        List<String> entrypoint = new ArrayList<>();
        config(examples.resolve("redis/oci"), Bootstrap.EXAMPLE_TAG).path("config").path("Entrypoint")
                .forEach(a -> entrypoint.add(a.asText()));
        assertThat(entrypoint).containsExactly("/usr/bin/redis-server", "/etc/redis/redis.conf");

        try (RedisServer server = new RedisServer(root, client, entrypoint)) {
            assertThat(server.cli(null, "PING")).isEqualTo("PONG");
        }

        String password = "p\"a\\s s\nw'$(x)é";
        Path values = Files.createDirectories(tmp.resolve("redis-auth-values"));
        Files.writeString(values.resolve("db-password"), password);
        Path names = Files.writeString(tmp.resolve("redis-auth-names"), "REDIS_PASSWORD db-password\n");
        Path secrets = Files.createDirectories(root.resolve("run/secrets"));
        Path lib = Path.of("src/main/resources/io/i2kit/bootstrap/init-files/usr/lib/i2kit").toAbsolutePath();
        run(List.of("/bin/busybox", "sh", "-c", "log() { echo \"$*\"; }; . \"$0/secrets.sh\"; secret_values=$1; i2kit_lib=$0;"
                + " render_templates \"$2\" \"$3\" \"$4\" 0 0", lib.toString(), values.toString(), root.getParent().toString(),
                names.toString(), secrets.toString()));
        assertThat(Files.readString(secrets.resolve("redis-auth.conf"))).doesNotContain("s s");
        try (RedisServer server = new RedisServer(root, client, entrypoint)) {
            assertThat(server.cli(null, "PING")).contains("NOAUTH");
            assertThat(server.cli("wrong", "PING")).contains("WRONGPASS");
            assertThat(server.cli(password, "PING")).isEqualTo("PONG");
        }
    }

    /** redis-server from an unpacked image, on a free loopback port, with the image's entrypoint; redis-cli from another. */
    private static final class RedisServer implements AutoCloseable {
        private final Path client;
        private final int port;
        private final Process process;

        RedisServer(Path root, Path client, List<String> entrypoint) throws Exception {
            this.client = client;
            try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
                port = s.getLocalPort();
            }
            List<String> command = new ArrayList<>(List.of("chroot", root.toString()));
            command.addAll(entrypoint);
            command.addAll(List.of("--port", String.valueOf(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
            process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(tmp.resolve("redis-" + port + ".log").toFile())
                    .start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (true) {
                try (java.net.Socket ignored = new java.net.Socket("127.0.0.1", port)) {
                    return;
                } catch (IOException e) {
                    if (!process.isAlive() || System.nanoTime() > deadline) {
                        throw new AssertionError("redis-server did not listen: " + Files.readString(tmp.resolve("redis-" + port + ".log")));
                    }
                    Thread.sleep(100);
                }
            }
        }

        /** redis-cli's answer, the password (if any) through REDISCLI_AUTH, never argv. */
        String cli(String password, String... args) throws Exception {
            List<String> command = new ArrayList<>(List.of("chroot", client.toString(), "/usr/bin/redis-cli", "-p", String.valueOf(port)));
            command.addAll(List.of(args));
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            if (password != null) {
                pb.environment().put("REDISCLI_AUTH", password);
            }
            Process p = pb.start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            return out;
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void lockRecordsTheBaseDigestsAndKeepsOtherEntries() {
        Path lockFile = tmp.resolve("i2kit.lock");
        new LockFile(Map.of("docker.io/library/redis:7", "sha256:" + "e".repeat(64))).write(lockFile);
        LockFile lock = Bootstrap.lock(first, lockFile);
        assertThat(LockFile.read(lockFile)).isEqualTo(lock);
        assertThat(lock.images()).containsKey("docker.io/library/redis:7")
                .containsEntry("i2kit.local/kernel:bookworm", first.base().get(0).manifest().digest().toString())
                .containsKeys("i2kit.local/init:bookworm", "i2kit.local/mke2fs:bookworm", "i2kit.local/runc:bookworm",
                        "i2kit.local/systemd-boot:bookworm");
    }

    private static Map<String, String> digests(List<Bootstrap.Image> images) {
        Map<String, String> digests = new TreeMap<>();
        images.forEach(i -> digests.put(i.reference(), i.manifest().digest().toString()));
        return digests;
    }

    private JsonNode manifest(Path layout, String name) throws IOException {
        String digest = new TagIndex(layout).find(name).orElseThrow().digest().hex();
        return JSON.readTree(layout.resolve("blobs/sha256/" + digest).toFile());
    }

    private JsonNode config(Path layout, String name) throws IOException {
        String digest = manifest(layout, name).path("config").path("digest").asText().substring(7);
        return JSON.readTree(layout.resolve("blobs/sha256/" + digest).toFile());
    }

    /** Unpacks the image's one layer with the host's tar, as a container runtime would. */
    private Path unpack(Path layout, String name, String into) throws Exception {
        JsonNode layers = manifest(layout, name).path("layers");
        assertThat(layers).hasSize(1);
        Path dir = Files.createDirectories(tmp.resolve(into));
        Path blob = layout.resolve("blobs/sha256/" + layers.get(0).path("digest").asText().substring(7));
        run(List.of("tar", "-xzf", blob.toString(), "-C", dir.toString()));
        return dir;
    }

    private static String run(List<String> command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish");
        }
        assertThat(p.exitValue()).as(String.join(" ", command) + " exit status; output:\n" + out).isZero();
        return out;
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, command)));
    }

    /** The recipes and src/ trees only, so the build writes its oci/ layouts into the temp directory. */
    private static void copyRecipes(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.filter(p -> !from.relativize(p).toString().matches("[^/]+/oci(/.*)?")).toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }
}
