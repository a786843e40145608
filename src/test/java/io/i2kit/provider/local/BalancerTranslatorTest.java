package io.i2kit.provider.local;

import io.i2kit.manifest.Protocol;
import io.i2kit.provider.Reports;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.lb.Listener;
import io.i2kit.provider.local.lb.LoadBalancerConfig;
import io.i2kit.provider.local.tls.LocalCa;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BalancerTranslatorTest {
    @TempDir
    Path home;

    private DesiredState.PortState port(Protocol protocol, int lbPort, Protocol instance, int instancePort,
                                        boolean isPublic, Optional<Integer> redirectTo) {
        Path socket = home.resolve("lb").resolve("web-" + lbPort + ".sock");
        return new DesiredState.PortState(protocol, lbPort, instancePort, isPublic ? Endpoint.tcp(0) : Endpoint.unix(socket),
                socket, instance, redirectTo);
    }

    private DesiredState.ServiceState service(boolean isPublic, List<DesiredState.PortState> ports, Optional<String> hostname) {
        return new DesiredState.ServiceState("web", "sha256:x", Path.of("k"), Path.of("i"), "", 1, 96, 1, isPublic, ports,
                Optional.empty(), List.of(), "{}", List.of(), Optional.empty(), hostname);
    }

    @Test
    void aPublicServiceTerminatesHttpsAndTlsRedirectsHttpAndPassesInstanceTlsThrough() {
        AtomicInteger caOpened = new AtomicInteger();
        DesiredState.ServiceState web = service(true, List.of(
                port(Protocol.HTTP, 80, Protocol.HTTP, 80, true, Optional.of(443)),
                port(Protocol.HTTPS, 443, Protocol.HTTP, 80, true, Optional.empty()),
                port(Protocol.HTTPS, 8443, Protocol.HTTPS, 8443, true, Optional.empty()),
                port(Protocol.TLS, 5432, Protocol.TCP, 5432, true, Optional.empty()),
                port(Protocol.UDP, 53, Protocol.UDP, 53, true, Optional.empty())), Optional.of("polls.example.com"));
        LoadBalancerConfig config = BalancerTranslator.config(web, "polls", () -> {
            caOpened.incrementAndGet();
            return LocalCa.openOrCreate(home.resolve("ca"));
        }).orElseThrow();
        Map<Integer, Listener> onTcp = new java.util.HashMap<>();
        config.listeners().stream().filter(l -> l.bind() instanceof Endpoint.Tcp).forEach(l -> onTcp.put(l.lbPort(), l));
        assertThat(onTcp.get(80).protocol()).isEqualTo(Protocol.HTTP);
        assertThat(onTcp.get(80).redirectTo()).isEqualTo(OptionalInt.of(443));
        assertThat(onTcp.get(443).protocol()).isEqualTo(Protocol.HTTPS);
        assertThat(onTcp.get(8443).protocol()).as("the VMs speak TLS themselves").isEqualTo(Protocol.HTTP);
        assertThat(onTcp.get(5432).protocol()).isEqualTo(Protocol.TLS);
        assertThat(onTcp).doesNotContainKey(53);
        // Every Unix socket, the VMs' way in, is plain.
        assertThat(config.listeners().stream().filter(l -> l.bind() instanceof Endpoint.Unix))
                .extracting(Listener::protocol).containsOnly(Protocol.HTTP, Protocol.TCP).hasSize(4);
        assertThat(config.tls()).isPresent();
        assertThat(caOpened).hasValue(1);
        assertThat(BalancerTranslator.certificateNames("polls", web))
                .containsExactly("localhost", "127.0.0.1", "::1", "web.polls.localhost", "polls.example.com");
    }

    @Test
    void aRedirectOffInTheManifestOrAPlainServiceNeedsNoCa() {
        DesiredState.ServiceState web = service(true, List.of(port(Protocol.HTTP, 80, Protocol.HTTP, 80, true, Optional.empty())),
                Optional.empty());
        LoadBalancerConfig config = BalancerTranslator.config(web, "polls", () -> {
            throw new AssertionError("a plain service must not open the CA");
        }).orElseThrow();
        assertThat(config.tls()).isEmpty();
        assertThat(config.listeners()).allSatisfy(l -> assertThat(l.redirectTo()).isEmpty());
    }

    @Test
    void aPrivateServicesHttpsPortIsPlainOnItsSocket() {
        DesiredState.ServiceState api = service(false, List.of(port(Protocol.HTTPS, 443, Protocol.HTTP, 80, false, Optional.empty())),
                Optional.empty());
        LoadBalancerConfig config = BalancerTranslator.config(api, "polls", () -> {
            throw new AssertionError("nothing to terminate");
        }).orElseThrow();
        assertThat(config.listeners()).singleElement().satisfies(l -> assertThat(l.protocol()).isEqualTo(Protocol.HTTP));
    }

    @Test
    void statusPrintsHttpsEndpointsAndTheCaFile() {
        Status status = new Status("polls", 1, List.of(new Status.ServiceStatus("web", "sha256:" + "a".repeat(64), 1, true,
                Map.of(80, "127.0.0.1:8080", 443, "127.0.0.1:8443", 5432, "127.0.0.1:15432"), List.of(),
                Map.of(80, "http", 443, "https", 5432, "tls"))), Optional.of("/home/u/.i2kit/ca/ca.pem"));
        Reports.Status report = LocalReports.status(status);
        assertThat(report.services().get(0).endpoints())
                .containsExactly("http://127.0.0.1:8080/", "https://127.0.0.1:8443/", "tls://127.0.0.1:15432");
        assertThat(report.notes()).containsExactly("local CA: /home/u/.i2kit/ca/ca.pem (trust it: curl --cacert "
                + "/home/u/.i2kit/ca/ca.pem https://127.0.0.1:8443/)");
    }

    @Test
    void aVmsViewOfItsPortsIgnoresTheRedirectSoTurningItOffRestartsNoVm() {
        DesiredState.PortState on = port(Protocol.HTTP, 80, Protocol.HTTP, 80, true, Optional.of(443));
        DesiredState.PortState off = port(Protocol.HTTP, 80, Protocol.HTTP, 80, true, Optional.empty());
        assertThat(on.toVm()).isEqualTo(off.toVm());
        // An older state without the new fields reads as the manifest's defaults.
        assertThat(new DesiredState.PortState(Protocol.HTTPS, 443, 80, Endpoint.tcp(0), home).instanceProtocol())
                .isEqualTo(Protocol.HTTP);
    }
}
