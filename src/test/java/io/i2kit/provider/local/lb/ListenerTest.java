package io.i2kit.provider.local.lb;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Port;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ListenerTest {
    @Test
    void tcpAndHttpPortsBecomeListeners() {
        Listener listener = Listener.of(Port.parse("http:80:8080").port().orElseThrow(), Endpoint.tcp(0));
        assertThat(listener.instancePort()).isEqualTo(8080);
        assertThat(listener.lbPort()).isEqualTo(80);
    }

    @Test
    void udpIsOutOfScopeAndTlsIsTerminatedOnTcpOnly() {
        assertThatThrownBy(() -> Listener.of(Port.parse("udp:53").port().orElseThrow(), Endpoint.tcp(0)))
                .isInstanceOf(I2kitException.class).hasMessageContaining("cannot serve udp port 53");
        assertThat(Listener.of(Port.parse("https:443:http:80").port().orElseThrow(), Endpoint.tcp(0)).plain()).isFalse();
        assertThatThrownBy(() -> Listener.of(Port.parse("tls:5432").port().orElseThrow(), Endpoint.unix(Path.of("/tmp/x.sock"))))
                .hasMessageContaining("terminates TLS on TCP only");
    }

    @Test
    void aUnixSocketPathLongerThanLinuxAllowsIsRefusedWithAHint() {
        assertThatThrownBy(() -> Endpoint.unix(Path.of("/tmp", "d".repeat(120), "api.sock")))
                .hasMessageContaining("Linux allows 107; hint: use a shorter state directory");
    }
}
