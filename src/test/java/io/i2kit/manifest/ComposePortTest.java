package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.OptionalInt;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ComposePortTest {
    @Property
    void publishedAndTargetMapToTheLoadBalancerAndTheInstance(@ForAll @IntRange(min = 1, max = 65535) int published,
                                                            @ForAll @IntRange(min = 1, max = 65535) int target,
                                                            @ForAll boolean udp, @ForAll boolean hostIp) {
        String text = (hostIp ? "10.0.0.1:" : "") + published + ":" + target + (udp ? "/udp" : "/tcp");
        ComposePort port = ComposePort.parse(text).port().orElseThrow();
        assertThat(port).isEqualTo(new ComposePort(hostIp ? Optional.of("10.0.0.1") : Optional.empty(),
                OptionalInt.of(published), target, udp));
        Port i2kit = Port.parse(port.toI2kit()).port().orElseThrow();
        assertThat(i2kit.lbPort()).isEqualTo(published);
        assertThat(i2kit.instancePort()).isEqualTo(target);
        assertThat(i2kit.instanceProtocol() == Protocol.UDP).isEqualTo(udp);
    }

    @Property
    void aTargetAlonePublishesTheSamePort(@ForAll @IntRange(min = 1, max = 65535) int target) {
        Port i2kit = Port.parse(ComposePort.parse(Integer.toString(target)).port().orElseThrow().toI2kit()).port().orElseThrow();
        assertThat(i2kit.lbPort()).isEqualTo(target);
        assertThat(i2kit.instancePort()).isEqualTo(target);
        assertThat(i2kit.lbProtocol()).isEqualTo(Port.inferredProtocol(target));
    }

    @Property
    void rangesAreRefusedWherever(@ForAll @IntRange(min = 1, max = 65000) int from, @ForAll @IntRange(min = 1, max = 500) int width,
                                  @ForAll boolean onPublished) {
        String range = from + "-" + (from + width);
        String text = onPublished ? range + ":80" : "8080:" + range;
        assertThat(ComposePort.parse(text).error()).startsWith("port ranges (" + range + ") are not supported");
    }

    @Example
    void readsTheShapesComposeAllows() {
        assertThat(ComposePort.parse("127.0.0.1::5000").port()).contains(
                new ComposePort(Optional.of("127.0.0.1"), OptionalInt.empty(), 5000, false));
        assertThat(ComposePort.parse("[::1]:8080:80").port().orElseThrow().loopback()).isTrue();
        assertThat(ComposePort.parse("80/udp").port().orElseThrow().toI2kit()).isEqualTo("udp:80:80");
        assertThat(ComposePort.parse("8080:80").port().orElseThrow().toI2kit()).isEqualTo("8080:80");
        assertThat(ComposePort.parse("53/sctp").error()).isEqualTo("protocol \"sctp\" is not supported; expected tcp or udp");
        assertThat(ComposePort.parse("1:2:3:4").error()).isEqualTo("expected [HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]");
        assertThat(ComposePort.parse("http").error()).isEqualTo("\"http\" is not a port number");
    }
}
