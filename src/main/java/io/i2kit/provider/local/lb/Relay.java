package io.i2kit.provider.local.lb;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The load balancer's one I/O thread: a selector over its listeners, the client connections and
 * the backend connections. Other threads talk to it only through {@link #execute}, so the channels
 * and connection sets are touched by this thread alone.
 */
final class Relay implements Runnable {
    /** A bound listener socket and the instance port it forwards to. */
    record Bound(Listener listener, Endpoint endpoint, ServerSocketChannel server) {
    }

    /** A client accepted while no backend was in service, held until {@code deadline} (nanoTime). */
    private record Held(SocketChannel client, int instancePort, long deadline) {
    }

    /** A backend connection in progress, with the backends already tried for this client. */
    private record Connecting(SocketChannel client, int instancePort, Duplex duplex, Set<String> tried) {
    }

    private final Selector selector;
    private final BackendPool pool;
    private final long holdNanos;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final Deque<Held> held = new ArrayDeque<>();
    private final Set<Duplex> open = new HashSet<>();
    private volatile boolean stopping;

    Relay(Selector selector, List<Bound> listeners, BackendPool pool, Duration noBackendWait) throws IOException {
        this.selector = selector;
        this.pool = pool;
        this.holdNanos = noBackendWait.toNanos();
        for (Bound bound : listeners) {
            bound.server().register(selector, SelectionKey.OP_ACCEPT, bound);
        }
    }

    /** Runs {@code task} on the relay thread. */
    void execute(Runnable task) {
        tasks.add(task);
        selector.wakeup();
    }

    /** Backends changed: held clients may now have somewhere to go. */
    void wakeup() {
        selector.wakeup();
    }

    void stop() {
        stopping = true;
        selector.wakeup();
    }

    /** Closes the connections a backend still serves (end of a drain that timed out); relay thread only. */
    int cut(String backendId) {
        int count = 0;
        for (Duplex duplex : List.copyOf(open)) {
            if (duplex.member.backend.id().equals(backendId)) {
                duplex.close();
                open.remove(duplex);
                count++;
            }
        }
        return count;
    }

    @Override
    public void run() {
        try {
            while (!stopping) {
                // The keys are handled as the selector finds them: no selected-key set to fill and clear.
                selector.select(this::handle, selectTimeoutMillis());
                Runnable task;
                while ((task = tasks.poll()) != null) {
                    task.run();
                }
                dispatchHeld();
            }
        } catch (IOException | RuntimeException e) {
            // The selector itself failed; fall through to closing everything so clients see EOF, not a hang.
        } finally {
            shutdown();
        }
    }

    private long selectTimeoutMillis() {
        if (held.isEmpty()) {
            return 0;
        }
        long left = (held.peekFirst().deadline() - System.nanoTime()) / 1_000_000;
        return Math.max(1, left);
    }

    private void handle(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        if (attachment instanceof Bound bound) {
            accept(bound);
        } else if (attachment instanceof Connecting connecting) {
            finishConnect(key, connecting);
        } else if (attachment instanceof Duplex duplex) {
            try {
                duplex.ready(key);
            } catch (IOException e) {
                duplex.close();
            }
            if (duplex.isClosed()) {
                open.remove(duplex);
            }
        }
    }

    private void accept(Bound bound) {
        try {
            SocketChannel client;
            while ((client = bound.server().accept()) != null) {
                client.configureBlocking(false);
                noDelay(client);
                route(client, bound.listener().instancePort(), new HashSet<>(), true);
            }
        } catch (IOException e) {
            // Accept failures (too many open files, a client gone before accept) leave the listener usable.
        }
    }

    private void route(SocketChannel client, int instancePort, Set<String> tried, boolean mayHold) {
        Optional<BackendPool.Member> picked = pool.take(instancePort, tried);
        if (picked.isEmpty()) {
            if (mayHold && holdNanos > 0) {
                held.addLast(new Held(client, instancePort, System.nanoTime() + holdNanos));
            } else {
                Duplex.quietly(client);
            }
            return;
        }
        BackendPool.Member member = picked.get();
        tried.add(member.backend.id());
        SocketChannel backend = null;
        try {
            Endpoint target = member.backend.endpoint(instancePort).orElseThrow();
            backend = SocketChannel.open(target.address() instanceof java.net.UnixDomainSocketAddress
                    ? java.net.StandardProtocolFamily.UNIX : java.net.StandardProtocolFamily.INET);
            backend.configureBlocking(false);
            noDelay(backend);
            Duplex duplex = new Duplex(client, backend, member, pool);
            if (backend.connect(target.address())) {
                SelectionKey key = backend.register(selector, 0, duplex);
                open.add(duplex);
                duplex.start(selector, key);
            } else {
                backend.register(selector, SelectionKey.OP_CONNECT, new Connecting(client, instancePort, duplex, tried));
            }
        } catch (IOException e) {
            pool.release(member);
            if (backend != null) {
                Duplex.quietly(backend);
            }
            route(client, instancePort, tried, false);
        }
    }

    /**
     * A relay writes what it just read: waiting to coalesce small writes (Nagle) would hold an answer
     * until the peer's delayed acknowledgement. Unix sockets have no such option.
     */
    private static void noDelay(SocketChannel channel) throws IOException {
        if (channel.supportedOptions().contains(StandardSocketOptions.TCP_NODELAY)) {
            channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
        }
    }

    /** A refused backend connection is retried on the next backend; the client has sent nothing through yet. */
    private void finishConnect(SelectionKey key, Connecting connecting) {
        Duplex duplex = connecting.duplex();
        try {
            duplex.backend.finishConnect();
            key.attach(duplex);
            open.add(duplex);
            duplex.start(selector, key);
        } catch (IOException e) {
            key.cancel();
            Duplex.quietly(duplex.backend);
            pool.release(duplex.member);
            route(connecting.client(), connecting.instancePort(), connecting.tried(), false);
        }
    }

    private void dispatchHeld() {
        long now = System.nanoTime();
        int count = held.size();
        for (int i = 0; i < count; i++) {
            Held h = held.pollFirst();
            if (pool.anyInService()) {
                route(h.client(), h.instancePort(), new HashSet<>(), false);
            } else if (now - h.deadline() >= 0) {
                Duplex.quietly(h.client());
            } else {
                held.addLast(h);
            }
        }
    }

    private void shutdown() {
        for (Duplex duplex : open) {
            duplex.close();
        }
        open.clear();
        held.forEach(h -> Duplex.quietly(h.client()));
        held.clear();
        for (SelectionKey key : selector.keys()) {
            if (key.attachment() instanceof Connecting connecting) {
                Duplex.quietly(connecting.client());
                Duplex.quietly(connecting.duplex().backend);
                pool.release(connecting.duplex().member);
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // Nothing more to release.
        }
    }
}
