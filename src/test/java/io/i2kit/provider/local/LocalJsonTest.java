package io.i2kit.provider.local;

import io.i2kit.event.Event;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.i2kit.I2kitException;
import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.GuestForward;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The local provider's JSON: the desired state and the control protocol, read back as written, with their kinds by name. */
class LocalJsonTest {
    private static final Health CHECK = new Health(Health.Kind.HTTP, 8080, "/health", Duration.ofSeconds(10),
            Duration.ofSeconds(5), 2, 3, Duration.ofMinutes(2));

    private static DesiredState state() {
        var web = new DesiredState.ServiceState("web", "sha256:" + "a".repeat(64), Path.of("/images/kernel"),
                Path.of("/images/initrd"), "console=ttyS0", 2, 256, 1, true,
                List.of(new DesiredState.PortState(Protocol.HTTP, 80, 8080, Endpoint.tcp(41234), Path.of("/lb/web-80.sock"))),
                Optional.of(CHECK), List.of(new GuestForward("10.0.2.100", 5432,
                        new GuestForward.UnixSocket(Path.of("/lb/db-5432.sock")))), "{\"hosts\":{}}");
        var db = new DesiredState.ServiceState("db", "sha256:" + "b".repeat(64), Path.of("/images/db-kernel"),
                Path.of("/images/db-initrd"), "console=ttyS0", 1, 512, 2, false,
                List.of(new DesiredState.PortState(Protocol.TCP, 5432, 5432, Endpoint.unix(Path.of("/lb/db-5432.sock")),
                        Path.of("/lb/db-5432.sock"))), Optional.empty(), List.of(), "{}");
        return new DesiredState("app", "app.i2kit.internal", Accelerator.TCG, List.of(web, db));
    }

    @Test
    void aDesiredStateReadsBackAsWrittenWithItsEndpointsHealthAndForwardsTyped() {
        String json = state().toJson();

        assertThat(DesiredState.fromJson(json)).isEqualTo(state());
        assertThat(json.replaceAll("\\s", "")).contains(
                "\"listen\":{\"kind\":\"tcp\",\"port\":41234}",
                "\"listen\":{\"kind\":\"unix\",\"path\":\"/lb/db-5432.sock\"}",
                "\"health\":{\"protocol\":\"HTTP\",\"port\":8080,\"path\":\"/health\",\"interval\":\"PT10S\","
                        + "\"timeout\":\"PT5S\",\"healthyThreshold\":2,\"unhealthyThreshold\":3,\"gracePeriod\":\"PT2M\"}",
                "\"target\":{\"kind\":\"unix\",\"path\":\"/lb/db-5432.sock\"}",
                "\"kernel\":\"/images/kernel\"", "\"isPublic\":true", "\"health\":null");
    }

    /** An autoscaled service's range and target, and its scaled count, survive a supervisor's restart; older state has none. */
    @Test
    void anAutoscaledServiceReadsBackWithItsRangeAndAnOlderStateWithout() {
        DesiredState.ServiceState web = state().services().get(0);
        var scaled = new DesiredState.ServiceState(web.name(), web.image(), web.kernel(), web.initrd(), web.cmdline(), 3,
                web.memoryMiB(), web.cpus(), web.isPublic(), web.ports(), web.health(), web.forwards(), web.metadata(),
                List.of(), Optional.of(new DesiredState.ScalingState(2, 5, Optional.of(60), Optional.empty())), Optional.empty());
        DesiredState app = new DesiredState("app", "app.i2kit.internal", Accelerator.TCG, List.of(scaled));
        String json = app.toJson();

        assertThat(DesiredState.fromJson(json)).isEqualTo(app);
        assertThat(json.replaceAll("\\s", "")).contains(
                "\"autoscaling\":{\"min\":2,\"max\":5,\"cpuPercent\":60,\"requestsPerTarget\":null}");
        String older = state().toJson().replaceAll(",\\s*\"autoscaling\" : null", "");
        assertThat(older).doesNotContain("autoscaling");
        assertThat(DesiredState.fromJson(older).services().get(0).autoscaling()).isEmpty();
    }

    @Test
    void aStateWithoutAKindOrWithABadDurationIsReportedDamaged() {
        String json = state().toJson();

        assertThatThrownBy(() -> DesiredState.fromJson(json.replace("\"kind\" : \"tcp\",", "")))
                .isInstanceOf(I2kitException.class).hasMessageStartingWith("a desired state is damaged: ");
        assertThatThrownBy(() -> DesiredState.fromJson(json.replace("\"PT10S\"", "\"10 s\"")))
                .isInstanceOf(I2kitException.class).hasMessageContaining("cannot read \"10 s\"");
    }

    @Test
    void requestsAndRepliesAreOneLineEachNamedByType() throws JsonProcessingException {
        Status status = new Status("app", 42, List.of(new Status.ServiceStatus("web", "sha256:" + "a".repeat(64), 1, true,
                Map.of(80, "127.0.0.1:41234"), List.of(new Status.ReplicaStatus("web-g1-r0", 7, true, "healthy", "/vms/web-g1-r0")))));

        assertThat(LocalJson.write(new ControlRequest.Status())).isEqualTo("{\"type\":\"status\"}");
        assertThat(LocalJson.write(new ControlRequest.Down())).isEqualTo("{\"type\":\"down\"}");
        assertThat(LocalJson.write(new ControlReply.Progress("web", Event.Level.INFO, "starting web-g1-r0")))
                .isEqualTo("{\"type\":\"progress\",\"service\":\"web\",\"level\":\"INFO\",\"text\":\"starting web-g1-r0\"}");
        assertThat(LocalJson.write(new ControlReply.Failed("no"))).isEqualTo("{\"type\":\"failed\",\"message\":\"no\"}");
        assertThat(LocalJson.write(new ControlReply.Stopped())).isEqualTo("{\"type\":\"stopped\"}");
        for (ControlRequest request : List.of(new ControlRequest.Apply(state()), new ControlRequest.Status(),
                new ControlRequest.Down())) {
            assertThat(LocalJson.write(request)).doesNotContain("\n");
            assertThat(LocalJson.read(LocalJson.write(request), ControlRequest.class)).isEqualTo(request);
        }
        for (ControlReply reply : List.of(new ControlReply.Progress(null, Event.Level.WARNING, "x"), new ControlReply.Alive(),
                new ControlReply.Done(status), new ControlReply.Stopped(), new ControlReply.Failed("why"))) {
            assertThat(LocalJson.read(LocalJson.write(reply), ControlReply.class)).isEqualTo(reply);
        }
    }
}
