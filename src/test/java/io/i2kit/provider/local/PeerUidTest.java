package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * This process's uid as a number, and a client of the same process recognised through the
 * principal the JDK makes of SO_PEERCRED; other uids are in {@code ControlServerIT}.
 */
class PeerUidTest {
    @TempDir
    Path dir;

    @Test
    void theEffectiveUidIsThisProcesssAndItsOwnClientIsItsPeer() throws Exception {
        assertThat(PeerUid.effectiveUid()).isEqualTo(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        PeerUid self = PeerUid.self();
        assertThat(self.uid()).isEqualTo(PeerUid.effectiveUid());

        Path socket = dir.resolve("s.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 SocketChannel accepted = server.accept()) {
                assertThat(self.isPeerOf(accepted)).isTrue();
                assertThat(client.isConnected()).isTrue();
            }
        }
    }
}
