package io.i2kit.provider.local;

import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.Vm;
import io.i2kit.provider.local.vm.VmSpec;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A VM that boots nothing: on each exposed port's socket file, where QEMU's relay would be, it
 * answers HTTP itself, with its name on any path and a settable status on {@code /health}. It
 * counts as the hypervisor's own view of forwarded connections the ones it accepted, so a TCP check
 * passes too. {@link #kill} is a VM that died; the socket files go with it.
 */
final class FakeVm implements Vm {
    private static final AtomicLong PIDS = new AtomicLong(900_000);

    private final String name;
    private final Path workDir;
    private final long pid = PIDS.incrementAndGet();
    private final Accelerator accelerator;
    private final List<Integer> ports;
    private final List<ServerSocketChannel> servers = new ArrayList<>();
    private final Map<Long, SocketChannel> open = new ConcurrentHashMap<>();
    private final AtomicLong connections = new AtomicLong();
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "fake-vm");
        t.setDaemon(true);
        return t;
    });
    private final Runnable onStop;
    /** The disks it was started with (a replica's volumes). */
    final List<VmSpec.Disk> disks;
    private volatile boolean alive = true;
    private volatile int healthStatus;
    private volatile Duration cpu = Duration.ZERO;

    FakeVm(VmSpec spec, int healthStatus, Runnable onStop) {
        this.disks = spec.disks();
        this.name = spec.name();
        this.workDir = spec.workDir();
        this.accelerator = spec.accelerator();
        this.ports = List.copyOf(spec.exposedPorts());
        this.healthStatus = healthStatus;
        this.onStop = onStop;
        try {
            Files.createDirectories(workDir);
            Files.writeString(console(), "Linux version 6.6 (a stand-in)\n");
            for (int port : ports) {
                Files.deleteIfExists(socket(port));
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(UnixDomainSocketAddress.of(socket(port)));
                servers.add(server);
                threads.execute(() -> accept(server));
            }
        } catch (IOException e) {
            kill();
            throw new UncheckedIOException(e);
        }
    }

    /** What {@code /health} answers from now on. */
    void health(int status) {
        healthStatus = status;
    }

    /** Adds to the CPU time its process has used: what a guest busy for {@code busy} adds. */
    void burn(Duration busy) {
        cpu = cpu.plus(busy);
    }

    /** The VM dies: its process and sockets are gone, its connections cut. */
    void kill() {
        alive = false;
        for (ServerSocketChannel server : servers) {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing a dead VM's socket: nothing to report
            }
        }
        open.values().forEach(FakeVm::closeQuietly);
        threads.shutdownNow();
        for (int port : ports) {
            try {
                Files.deleteIfExists(socket(port));
            } catch (IOException ignored) {
                // a leftover socket file in a temporary directory
            }
        }
    }

    private void accept(ServerSocketChannel server) {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                long id = connections.incrementAndGet();
                open.put(id, client);
                threads.execute(() -> serve(id, client));
            } catch (IOException | java.util.concurrent.RejectedExecutionException e) {
                return;
            }
        }
    }

    /** One HTTP exchange: reads the request head, answers, closes. A silent client is held until it leaves. */
    private void serve(long id, SocketChannel client) {
        try (client) {
            InputStream in = Channels.newInputStream(client);
            StringBuilder head = new StringBuilder();
            int b;
            while (head.indexOf("\r\n\r\n") < 0 && (b = in.read()) >= 0) {
                head.append((char) b);
            }
            if (head.indexOf("\r\n\r\n") < 0) {
                return;
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            boolean health = requestLine.length > 1 && requestLine[1].equals("/health");
            int status = health ? healthStatus : 200;
            byte[] body = (health ? "health" : name).getBytes(StandardCharsets.UTF_8);
            String answer = "HTTP/1.1 " + status + " X\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
            ByteBuffer out = ByteBuffer.wrap((answer + new String(body, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            while (out.hasRemaining()) {
                client.write(out);
            }
        } catch (IOException e) {
            // the client left, or the VM was killed
        } finally {
            open.remove(id);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Path workDir() {
        return workDir;
    }

    @Override
    public long pid() {
        return pid;
    }

    @Override
    public Accelerator accelerator() {
        return accelerator;
    }

    @Override
    public Optional<Instant> startedAt() {
        return Optional.empty();
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public Optional<Duration> cpuTime() {
        return alive ? Optional.of(cpu) : Optional.empty();
    }

    @Override
    public List<Integer> ports() {
        return ports;
    }

    @Override
    public Path socket(int guestPort) {
        return workDir.resolve("port-" + guestPort + ".sock");
    }

    @Override
    public Set<Long> forwardedConnections(int guestPort) {
        return new HashSet<>(open.keySet());
    }

    @Override
    public List<String> newForwardedConnectionStates(int guestPort, Set<Long> before) {
        return open.keySet().stream().filter(id -> !before.contains(id)).map(id -> "ESTABLISHED").toList();
    }

    @Override
    public Path console() {
        return workDir.resolve("console.log");
    }

    @Override
    public java.util.List<Path> logs() {
        return java.util.List.of(console());
    }

    @Override
    public String consoleTail(int lines) {
        try {
            List<String> all = Files.readAllLines(console());
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public String qemuLogTail(int lines) {
        return "";
    }

    @Override
    public void stop(Duration grace) {
        if (alive) {
            onStop.run();
        }
        kill();
    }

    @Override
    public boolean awaitExit(Duration timeout) {
        return !alive;
    }

    @Override
    public String toString() {
        return "fake VM " + name;
    }
}
