package io.i2kit.provider.local;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The supervisor's control socket: {@link ControlRequest}s {@code apply} (a desired state; progress
 * streamed back), {@code status}, {@code down}, each answered with {@link ControlReply}s. One request
 * per connection; clients are served concurrently, so a long apply, or a client that sends nothing,
 * never stalls a {@code status}. The socket is the
 * owner's only (0600, in a 0700 directory) and each client's uid is checked besides, by number
 * ({@link PeerUid}): root, or any other user who gets through a loosened mode, is refused.
 */
public final class ControlServer implements AutoCloseable {
    /** A whole desired state fits in one line; 500 services take about 2 MiB. */
    static final int MAX_LINE = 32 * 1024 * 1024;
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** While an apply runs, an event at least this often, so that clients can tell a live supervisor from a hung one. */
    static final Duration HEARTBEAT = Duration.ofSeconds(10);
    private static final int CLIENT_THREADS = 8;

    private final AppPaths paths;
    private final Supervisor supervisor;
    private final ServerSocketChannel server;
    private final CountDownLatch down = new CountDownLatch(1);
    private final ExecutorService clients;
    private final ScheduledExecutorService heartbeats;
    private final PeerUid owner;
    private Thread acceptor;

    public ControlServer(AppPaths paths, Supervisor supervisor) throws IOException {
        this.paths = paths;
        this.supervisor = supervisor;
        owner = PeerUid.self();
        Files.deleteIfExists(paths.control());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(paths.control()));
        Files.setPosixFilePermissions(paths.control(), PosixFilePermissions.fromString("rw-------"));
        AtomicInteger count = new AtomicInteger();
        clients = Executors.newFixedThreadPool(CLIENT_THREADS, r -> daemon(r, "i2kit-control-" + count.incrementAndGet()));
        heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "i2kit-control-heartbeat"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Serves requests until {@code down}; then returns, leaving the caller to close everything. */
    public void serve() {
        start();
        awaitDown();
    }

    /** Starts answering clients, once; a foreground supervisor does so before its first apply. */
    public synchronized void start() {
        if (acceptor != null) {
            return;
        }
        acceptor = daemon(() -> {
            while (down.getCount() > 0) {
                try {
                    SocketChannel client = server.accept();
                    clients.execute(() -> serveClient(client));
                } catch (IOException e) {
                    if (!server.isOpen()) {
                        return;
                    }
                }
            }
        }, "i2kit-control");
        acceptor.start();
    }

    /** Returns once a client asked the supervisor to stop (or the thread is interrupted). */
    public void awaitDown() {
        try {
            down.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void serveClient(SocketChannel client) {
        try (client; ControlLines lines = new ControlLines(client, MAX_LINE)) {
            // The request is read (within the limits) before the refusal is sent: a server that
            // closed with the request unread would leave the client a broken pipe instead of the reason.
            Optional<String> line = lines.next(REQUEST_TIMEOUT);
            if (line.isPresent() && !owner.isPeerOf(client)) {
                send(lines, new ControlReply.Failed("this supervisor runs as uid " + owner.uid()
                        + " and serves only that user; the client runs as user " + PeerUid.describe(client)));
            } else if (line.isPresent()) {
                ControlReply reply = answer(line.get(), lines);
                send(lines, reply);
                if (reply instanceof ControlReply.Stopped) {
                    // Only once the client has its answer: serve() returning lets the process end.
                    down.countDown();
                }
            }
        } catch (IOException | RuntimeException e) {
            // a client that went away, stayed silent, or sent too much: nothing to answer
        }
    }

    /** The last reply to one request line; progress and heartbeats go to {@code lines} meanwhile. */
    private ControlReply answer(String line, ControlLines lines) {
        ControlRequest request;
        try {
            request = LocalJson.read(line, ControlRequest.class);
        } catch (InvalidTypeIdException e) {
            return new ControlReply.Failed(e.getTypeId() == null
                    ? "a request without a type; is the client another version of i2kit?"
                    : "unknown request \"" + e.getTypeId() + "\"");
        } catch (JsonProcessingException e) {
            return new ControlReply.Failed("a malformed request: " + e.getOriginalMessage());
        }
        try {
            if (request instanceof ControlRequest.Apply apply) {
                ScheduledFuture<?> beat = heartbeats.scheduleAtFixedRate(() -> send(lines, new ControlReply.Alive()),
                        HEARTBEAT.toMillis(), HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                try {
                    supervisor.apply(apply.state(), note -> send(lines, ControlReply.Progress.of(note)));
                } finally {
                    beat.cancel(false);
                }
                return new ControlReply.Done(supervisor.status());
            }
            if (request instanceof ControlRequest.Status) {
                return new ControlReply.Done(supervisor.status());
            }
            if (request instanceof ControlRequest.Down) {
                supervisor.close();
                return new ControlReply.Stopped();
            }
            throw new IllegalStateException("no answer to a request " + request);
        } catch (RuntimeException e) {
            return new ControlReply.Failed(String.valueOf(e.getMessage()));
        }
    }

    private static void send(ControlLines lines, ControlReply reply) {
        synchronized (lines) {
            try {
                lines.write(LocalJson.write(reply), REQUEST_TIMEOUT);
            } catch (IOException e) {
                // the client went away; the work goes on and status tells the outcome
            }
        }
    }

    @Override
    public void close() throws IOException {
        down.countDown();
        server.close();
        clients.shutdownNow();
        heartbeats.shutdownNow();
        Files.deleteIfExists(paths.control());
    }
}
