package io.i2kit.provider.local.lb;

import io.i2kit.build.OwnerOnly;
import io.i2kit.I2kitException;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Where a listener binds or a backend is reached: TCP on 127.0.0.1 or a Unix domain socket. Only
 * loopback is offered: a public service is public to this machine, never to its network.
 */
public sealed interface Endpoint permits Endpoint.Tcp, Endpoint.Unix {

    /** TCP on 127.0.0.1; port 0 asks the system for a free port. */
    static Tcp tcp(int port) {
        return new Tcp(port);
    }

    static Unix unix(Path path) {
        return new Unix(path);
    }

    SocketAddress address();

    /** Opens a connected blocking channel (tests and health checks; the relay connects non-blocking). */
    default SocketChannel connect() throws IOException {
        SocketChannel channel = SocketChannel.open(address() instanceof UnixDomainSocketAddress
                ? StandardProtocolFamily.UNIX : StandardProtocolFamily.INET);
        try {
            channel.connect(address());
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }

    record Tcp(int port) implements Endpoint {
        public Tcp {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        }

        @Override
        public InetSocketAddress address() {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }

        @Override
        public String toString() {
            return "127.0.0.1:" + port;
        }
    }

    /**
     * A socket file whose directory must be private (0700): the file's own mode is not a reliable
     * guard on every system, the directory's search permission is.
     */
    record Unix(Path path) implements Endpoint {
        /** sun_path is 108 bytes on Linux, including the terminating NUL. */
        static final int MAX_PATH_BYTES = 107;

        public Unix {
            path = path.toAbsolutePath().normalize();
            int length = path.toString().getBytes(StandardCharsets.UTF_8).length;
            if (length > MAX_PATH_BYTES) {
                throw new I2kitException("cannot use Unix socket " + path + ": the path is " + length
                        + " bytes, Linux allows " + MAX_PATH_BYTES + "; hint: use a shorter state directory");
            }
        }

        @Override
        public UnixDomainSocketAddress address() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public String toString() {
            return "unix:" + path;
        }
    }

    /**
     * Connections the kernel may queue before the relay accepts them (it clamps this to somaxconn).
     * Java's default of 50 overflowed when a client opened a few hundred connections at once: the
     * kernel then dropped handshakes, and a dropped one costs its client a retransmission (200 ms
     * and more), which showed as the balancer's p99.
     */
    int BACKLOG = 4096;

    /** Binds a non-blocking server channel; see {@link #release} for the Unix socket file. */
    static ServerSocketChannel bind(Endpoint endpoint) {
        try {
            if (endpoint instanceof Unix unix) {
                preparePrivateDirectory(unix.path());
                ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
                server.bind(unix.address(), BACKLOG);
                // bind gives the socket 0777 less the umask; in a 0700 directory, but 0600 like every file of the state
                OwnerOnly.file(unix.path());
                server.configureBlocking(false);
                return server;
            }
            ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
            server.bind(endpoint.address(), BACKLOG);
            server.configureBlocking(false);
            return server;
        } catch (IOException e) {
            throw new I2kitException("cannot listen on " + endpoint + ": " + e.getMessage()
                    + (endpoint instanceof Tcp ? "; hint: is another process using the port?" : ""), e);
        }
    }

    /** The endpoint a bound channel really listens on (the chosen port when 0 was asked). */
    static Endpoint boundOf(Endpoint requested, ServerSocketChannel server) throws IOException {
        return requested instanceof Tcp
                ? new Tcp(((InetSocketAddress) server.getLocalAddress()).getPort())
                : requested;
    }

    /** Closing a Unix server channel leaves its file behind; remove it so a restart can bind again. */
    static void release(Endpoint endpoint) throws IOException {
        if (endpoint instanceof Unix unix) {
            Files.deleteIfExists(unix.path());
        }
    }

    private static void preparePrivateDirectory(Path socket) throws IOException {
        Path dir = socket.getParent();
        Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(owner));
        }
        Set<PosixFilePermission> actual = Files.getPosixFilePermissions(dir);
        if (!owner.containsAll(actual)) {
            throw new I2kitException("cannot listen on " + socket + ": its directory " + dir + " has mode "
                    + PosixFilePermissions.toString(actual) + ", so other users could connect to a private service;"
                    + " hint: chmod 700 " + dir);
        }
        // A socket file left by a process that died would make bind fail; a regular file is not ours to delete.
        if (Files.exists(socket, LinkOption.NOFOLLOW_LINKS)) {
            BasicFileAttributes attributes = Files.readAttributes(socket, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isOther()) {
                throw new I2kitException("cannot listen on " + socket + ": a file that is not a socket is in the way");
            }
            Files.delete(socket);
        }
    }
}
