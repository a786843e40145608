package io.i2kit.provider.local.vm;

import io.i2kit.provider.Waiter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.discovery.Discovery;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots the web example image with {@link VmLauncher} (TCG here): a container reaches two services
 * by name, each behind a Unix socket (as every load balancer is for the VMs), through /etc/hosts from the
 * boot metadata and QEMU's per-connection guest forwards; then stop, adopt and start failures.
 */
class VmLauncherIT {
    private static final Duration BOOT = Duration.ofSeconds(Long.getLong("i2kit.it.boot", 180));
    private static final String APP = "vmtest";

    @TempDir
    static Path dir;
    static Path out;
    static Discovery discovery;
    static VmLauncher launcher;
    static Accelerator accelerator;
    static UnixServer queue;
    /** A service on the host's loopback that no forward names: the guests must not reach it. */
    static HttpServer hostOnly;
    static UnixServer store;
    private final List<Vm> started = new ArrayList<>();

    @BeforeAll
    static void build() throws Exception {
        Path home = BootstrappedHome.get().root();
        String image = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        hostOnly = new HttpServer("host-only");
        // The relay fetches by name with busybox nc: static busybox's resolver reads /etc/hosts (its
        // wget segfaults on names, nc does not), where the init wrote the metadata's hosts lines.
        Files.writeString(dir.resolve("i2kit.yml"), """
                name: %2$s
                services:
                  web:
                    uses: [queue, store]
                    containers:
                      relay:
                        image: %1$s
                        ports: [8081]
                        command:
                          - /bin/busybox
                          - sh
                          - -c
                          - |
                            mkdir -p /tmp/w && cd /tmp/w
                            get() { printf 'GET / HTTP/1.0\\r\\nHost: %%s\\r\\n\\r\\n' "$1" | nc "$1" "$2"; }
                            until get queue.%2$s.i2kit.internal 8000 > queue.txt && grep -q from-host queue.txt; do sleep 1; done
                            get queue 8000 > queue2.txt
                            if printf 'GET / HTTP/1.0\\r\\n\\r\\n' | nc -w 5 10.0.2.2 %3$d > host.raw 2>&1 && grep -q host-only host.raw
                            then echo reached > host.txt; else echo unreachable > host.txt; fi
                            until get store.%2$s.i2kit.internal 9000 > store.txt && grep -q from-unix store.txt; do sleep 1; done
                            exec httpd -f -p 8081 -h /tmp/w
                  queue:
                    public: true
                    containers:
                      q:
                        image: %1$s
                        ports: ["tcp:8000"]
                  store:
                    containers:
                      s:
                        image: %1$s
                        ports: ["tcp:9000"]
                """.formatted(image, APP, hostOnly.port()));
        out = dir.resolve("out");
        Cli.run(home, "build", "-f", dir.toString(), "--format", "kernel+initrd", "--service", "web",
                "--out", out.toString()).assertSuccess();
        discovery = Pipeline.validate(Pipeline.load(dir.resolve("i2kit.yml"), Optional.empty()));
        launcher = VmLauncher.create();
        accelerator = launcher.chooseAccelerator(Accelerator.Mode.AUTO, out.resolve("web-kernel"), Optional.of(home))
                .accelerator();
        queue = new UnixServer(dir.resolve("queue.sock"), "from-host");
        store = new UnixServer(dir.resolve("store.sock"), "from-unix");
    }

    @AfterAll
    static void closeServers() throws IOException {
        if (queue != null) {
            queue.close();
        }
        if (store != null) {
            store.close();
        }
        if (hostOnly != null) {
            hostOnly.close();
        }
    }

    @AfterEach
    void killLeftovers() {
        for (Vm vm : started) {
            if (vm.alive()) {
                vm.stop(Duration.ZERO);
            }
        }
    }

    @Test
    void aContainerReachesTwoServicesByNameAndNothingElseOfTheHost() throws Exception {
        DiscoveryPlan plan = DiscoveryPlan.of(discovery, "web", (service, lbPort) -> switch (service) {
            case "queue" -> new GuestForward.UnixSocket(queue.path());
            case "store" -> new GuestForward.UnixSocket(store.path());
            default -> throw new AssertionError(service);
        });
        assertThat(plan.addresses()).containsEntry("queue", "10.0.2.100").containsEntry("store", "10.0.2.101");
        long begin = System.nanoTime();
        Vm vm = start(spec("discovery", plan));
        double setUp = (System.nanoTime() - begin) / 1e9;
        Path relay = vm.socket(8081);
        assertThat(io.i2kit.testing.HostSockets.tcpListeners(vm.pid())).as("TCP ports QEMU listens on in the host's network namespace").isEmpty();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(relay))).isEqualTo("rw-------");

        String first = await(vm, "the relay's copy of the queue's answer", () -> get(relay, "/queue.txt"));
        System.err.printf("[VmLauncherIT] start returned after %.2f s; guest -> host answer served %.1f s after start (%s)%n",
                setUp, (System.nanoTime() - begin) / 1e9, accelerator);
        assertThat(first).as("fetched by the full name").contains("from-host");
        assertThat(get(relay, "/queue2.txt")).as("a second connection, by the short name").hasValueSatisfying(
                b -> assertThat(b).contains("from-host"));
        assertThat(get(relay, "/store.txt")).as("through a Unix socket").hasValueSatisfying(
                b -> assertThat(b).contains("from-unix"));
        assertThat(queue.connections()).as("one forward command per guest connection").isGreaterThanOrEqualTo(2);
        assertThat(get(relay, "/host.txt")).as("the host's loopback, where nothing is forwarded (restrict=on)")
                .hasValueSatisfying(b -> assertThat(b).contains("unreachable"));
        assertThat(hostOnly.connections()).as("connections that reached the host-only service").isZero();
        assertThat(store.connections()).isGreaterThanOrEqualTo(1);

        List<ProcessHandle> processes = new ArrayList<>(List.of(ProcessHandle.of(vm.pid()).orElseThrow()));
        processes.addAll(ProcessHandle.of(vm.pid()).orElseThrow().descendants().toList());
        vm.stop(Duration.ofSeconds(5));
        assertThat(vm.alive()).isFalse();
        assertThat(processes).noneMatch(ProcessHandle::isAlive);
        assertThat(processesMentioning(vm.workDir().toString())).isEmpty();
        assertThat(QemuVm.adopt(vm.workDir())).isEmpty();
    }

    @Test
    void aVmIsAdoptedAfterARestartAndAStaleOrForeignPidIsNot() throws Exception {
        Vm vm = start(spec("adopt", DiscoveryPlan.of(discovery, "web", (s, p) -> new GuestForward.UnixSocket(queue.path()))));

        Vm adopted = QemuVm.adopt(vm.workDir()).orElseThrow(() -> new AssertionError("the running VM was not adopted"));
        assertThat(adopted.pid()).isEqualTo(vm.pid());
        assertThat(adopted.socket(8081)).isEqualTo(vm.socket(8081));
        assertThat(adopted.name()).isEqualTo("adopt");
        assertThatThrownBy(() -> launcher.start(spec("adopt", DiscoveryPlan.of(discovery, "web",
                (s, p) -> new GuestForward.UnixSocket(queue.path()))))).hasMessageContaining("already runs");

        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("qemu.pid"), vm.pid() + "\n");
        assertThat(QemuVm.adopt(foreign)).as("another VM's live QEMU").isEmpty();
        Files.writeString(foreign.resolve("qemu.pid"), ProcessHandle.current().pid() + "\n");
        assertThat(QemuVm.adopt(foreign)).as("a live process that is no VM").isEmpty();

        adopted.stop(Duration.ofSeconds(5));
        assertThat(vm.awaitExit(Duration.ofSeconds(10))).isTrue();
        assertThat(QemuVm.adopt(vm.workDir())).isEmpty();
        assertThat(processesMentioning(vm.workDir().toString())).isEmpty();
    }

    @Test
    void aStartThatFailsShowsTheCommandItsStatusAndQemusOutputAndLeavesNothingRunning() throws Exception {
        VmSpec spec = new VmSpec("broken", out.resolve("no-such-kernel"), out.resolve("web-initrd.img"), "console=ttyS0",
                128, 1, List.of(8081), List.of(), Optional.empty(), dir.resolve("vm-broken"), Accelerator.TCG);
        assertThatThrownBy(() -> launcher.start(spec))
                .isInstanceOf(VmException.class)
                .hasMessageContaining("VM broken: QEMU exited with status 1")
                .hasMessageContaining("command: ")
                .hasMessageContaining("-kernel " + out.resolve("no-such-kernel"))
                .hasMessageContaining("QEMU's output ends with:\n")
                .hasMessageContaining("no-such-kernel");
        assertThat(processesMentioning(spec.workDir().toString())).isEmpty();
    }

    private VmSpec spec(String name, DiscoveryPlan plan) throws IOException {
        return new VmSpec(name, out.resolve("web-kernel"), out.resolve("web-initrd.img"),
                Files.readString(out.resolve("web-cmdline")).strip(), 256, 1, List.of(8081), plan.forwards(),
                Optional.of(plan.metadata().toJson()), dir.resolve("vm-" + name), accelerator);
    }

    private Vm start(VmSpec spec) {
        Vm vm = launcher.start(spec);
        started.add(vm);
        return vm;
    }

    private static List<ProcessHandle> processesMentioning(String text) {
        return ProcessHandle.allProcesses()
                .filter(p -> VmProcessInfo.read(p.pid()).map(i -> String.join(" ", i.arguments()).contains(text)).orElse(false))
                .filter(p -> p.pid() != ProcessHandle.current().pid())
                .toList();
    }

    /** Polls until the condition yields a value or the boot timeout passes; fails with the console. */
    private static <T> T await(Vm vm, String what, Supplier<Optional<T>> condition) {
        Waiter.Outcome<T> outcome = new Waiter(BOOT, Duration.ofMillis(500)).await(() -> {
            Optional<T> value = condition.get();
            if (value.isPresent()) {
                return Waiter.Outcome.done(value.get());
            }
            return vm.alive() ? Waiter.Outcome.retry(what) : Waiter.Outcome.failed("QEMU exited");
        });
        if (outcome.state() != Waiter.Outcome.State.DONE) {
            throw new AssertionError("waited up to " + BOOT.toSeconds() + " s for " + what + ": "
                    + (outcome.state() == Waiter.Outcome.State.TIMED_OUT ? "timed out" : outcome.reason())
                    + "\nconsole ends with:\n" + vm.consoleTail(40) + "\nQEMU's output:\n" + vm.qemuLogTail(20));
        }
        return outcome.value();
    }

    /** The body of an HTTP 200 answer through the VM's socket, if one came back. */
    private static Optional<String> get(Path socket, String path) {
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            channel.write(java.nio.ByteBuffer.wrap(("GET " + path + " HTTP/1.0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            String response = new String(Channels.newInputStream(channel).readAllBytes(), StandardCharsets.ISO_8859_1);
            int body = response.indexOf("\r\n\r\n");
            return response.startsWith("HTTP/1.") && response.lines().findFirst().orElse("").contains(" 200") && body >= 0
                    ? Optional.of(response.substring(body + 4)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Answers every request with one body; stands in for a service's load balancer. */
    static String answer(InputStream in, OutputStream out, String body) throws IOException {
        StringBuilder request = new StringBuilder();
        int c;
        while (request.indexOf("\r\n\r\n") < 0 && (c = in.read()) >= 0) {
            request.append((char) c);
        }
        out.write(("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n" + body + "\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        return request.toString();
    }

    private static void daemon(Runnable loop) {
        Thread thread = new Thread(loop, "VmLauncherIT server");
        thread.setDaemon(true);
        thread.start();
    }

    static final class HttpServer implements AutoCloseable {
        private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final AtomicInteger connections = new AtomicInteger();

        HttpServer(String body) throws IOException {
            daemon(() -> {
                while (!socket.isClosed()) {
                    try (Socket s = socket.accept()) {
                        s.setSoTimeout(5000);
                        connections.incrementAndGet();
                        answer(s.getInputStream(), s.getOutputStream(), body);
                    } catch (IOException e) {
                        // a closed server or a client that went away: serve the next one
                    }
                }
            });
        }

        int port() {
            return socket.getLocalPort();
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    static final class UnixServer implements AutoCloseable {
        private final Path path;
        private final ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        private final AtomicInteger connections = new AtomicInteger();

        UnixServer(Path path, String body) throws IOException {
            this.path = path;
            channel.bind(UnixDomainSocketAddress.of(path));
            daemon(() -> {
                while (channel.isOpen()) {
                    try (SocketChannel s = channel.accept()) {
                        connections.incrementAndGet();
                        answer(Channels.newInputStream(s), Channels.newOutputStream(s), body);
                    } catch (IOException e) {
                        // as above
                    }
                }
            });
        }

        Path path() {
            return path;
        }

        int connections() {
            return connections.get();
        }

        @Override
        public void close() throws IOException {
            channel.close();
            Files.deleteIfExists(path);
        }
    }
}
