package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PortTest {
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "80, http:80:http:80",
            "8080, http:8080:http:8080",
            "443, tcp:443:tcp:443",
            "6379, tcp:6379:tcp:6379",
            "tcp:6379, tcp:6379:tcp:6379",
            "https:443:http:80, https:443:http:80",
            "https:443, https:443:http:443",
            "tls:443, tls:443:tcp:443",
            "8080:80, http:8080:http:80",
            "5432:5432, tcp:5432:tcp:5432",
            "http:80:https:8443, http:80:https:8443",
            "80:tcp:8080, tcp:80:tcp:8080",
            "udp:53, udp:53:udp:53",
    })
    void parsesAndInfersProtocols(String text, String canonical) {
        assertThat(Port.parse(text).port()).hasValueSatisfying(p -> assertThat(p.toString()).isEqualTo(canonical));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "htp:80 | unknown protocol \"htp\"; expected one of http, https, tcp, tls, udp",
            "http: | expected a port number after \"http\"",
            "80:http: | expected an instance port after \"http:\"",
            "80:80:80 | too many parts; expected [lb_protocol:]lb_port[:[instance_protocol:]instance_port]",
            "eighty | unknown protocol \"eighty\"; expected one of http, https, tcp, tls, udp",
    })
    void explainsWhatIsWrong(String text, String error) {
        assertThat(Port.parse(text).error()).isEqualTo(error);
    }

    @Property
    void canonicalFormReadsBackToTheSamePort(@ForAll("ports") Port port) {
        assertThat(Port.parse(port.toString()).port()).contains(port);
    }

    @Provide
    Arbitrary<Port> ports() {
        Arbitrary<Protocol> protocols = Arbitraries.of(Protocol.class);
        Arbitrary<Integer> numbers = Arbitraries.integers().between(1, 65535);
        return Combinators.combine(protocols, numbers, protocols, numbers).as(Port::new);
    }

    @Test
    void bareHttpPortsAreADocumentedSet() {
        assertThat(Port.inferredProtocol(80)).isEqualTo(Protocol.HTTP);
        assertThat(Port.inferredProtocol(8888)).isEqualTo(Protocol.HTTP);
        assertThat(Port.inferredProtocol(22)).isEqualTo(Protocol.TCP);
    }
}
