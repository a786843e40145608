package io.i2kit.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.i2kit.I2kitException;
import io.i2kit.build.BuiltImage;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Health;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Service;
import java.util.List;
import java.util.Map;

/**
 * What the local supervisor must keep running, as an auto scaling group and a load balancer per
 * service would: the built image, the replica count and VM size, the load-balancer ports and the
 * health check. Sent from {@code i2kit up} to the supervisor as JSON.
 */
public record DesiredState(String application, String zone, List<ServiceState> services) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DesiredState {
        services = List.copyOf(services);
    }

    /** One service: its image (by digest and files), its VMs and its load balancer. */
    public record ServiceState(String name, String image, String kernel, String initrd, String cmdline, int replicas,
                               int memoryMiB, int cpus, boolean isPublic, List<PortState> ports, HealthState health) {
        public ServiceState {
            ports = List.copyOf(ports);
        }
    }

    public record PortState(String protocol, int lbPort, int instancePort) {
    }

    /** The manifest's health check, in milliseconds; {@code path} only for http. */
    public record HealthState(String protocol, int port, String path, long intervalMs, long timeoutMs, int healthy,
                              int unhealthy, long graceMs) {
    }

    public static DesiredState of(Discovery discovery, Map<String, BuiltImage> images) {
        List<ServiceState> services = discovery.application().services().stream().map(s -> {
            BuiltImage image = images.get(s.name());
            if (image == null) {
                throw new I2kitException("service " + s.name() + " has no built image");
            }
            return new ServiceState(s.name(), image.digest().toString(), image.kernel().toString(),
                    image.initrd().toString(), image.cmdline(), s.replicas(), s.resources().memoryMiB(),
                    s.resources().cpus(), s.isPublic(), ports(s), s.health().map(DesiredState::health).orElse(null));
        }).toList();
        return new DesiredState(discovery.application().name(), discovery.application().zone(), services);
    }

    private static List<PortState> ports(Service s) {
        return s.ports().stream().map((Port p) -> new PortState(p.lbProtocol().lower(), p.lbPort(), p.instancePort())).toList();
    }

    private static HealthState health(Health h) {
        return new HealthState(h.protocol().name().toLowerCase(java.util.Locale.ROOT), h.port(), h.path(),
                h.interval().toMillis(), h.timeout().toMillis(), h.healthyThreshold(), h.unhealthyThreshold(),
                h.gracePeriod().toMillis());
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static DesiredState fromJson(String json) {
        try {
            return JSON.readValue(json, DesiredState.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new I2kitException("a desired state is damaged: " + e.getOriginalMessage(), e);
        }
    }

    public java.util.Optional<ServiceState> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
