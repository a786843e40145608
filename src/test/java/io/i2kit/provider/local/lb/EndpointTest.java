package io.i2kit.provider.local.lb;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class EndpointTest {
    /**
     * wrk and browsers open many connections at once. With Java's default backlog (50) the kernel
     * dropped the handshakes beyond it while the relay was busy, and those clients waited for a
     * retransmission: here, a listener that accepts nothing must still complete 300 handshakes.
     */
    @Test
    void aListenerQueuesHundredsOfConnectionsBeforeTheyAreAccepted() throws IOException {
        List<Socket> clients = new ArrayList<>();
        try (ServerSocketChannel server = Endpoint.bind(Endpoint.tcp(0))) {
            Endpoint bound = Endpoint.boundOf(Endpoint.tcp(0), server);
            for (int i = 0; i < 300; i++) {
                Socket client = new Socket();
                clients.add(client);
                client.connect(bound.address(), 2000);
            }
            assertThat(clients).allMatch(Socket::isConnected);
        } finally {
            for (Socket client : clients) {
                client.close();
            }
        }
    }
}
