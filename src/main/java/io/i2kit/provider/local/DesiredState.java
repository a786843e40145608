package io.i2kit.provider.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.i2kit.I2kitException;
import io.i2kit.provider.local.vm.Accelerator;
import java.util.List;

/**
 * What the local supervisor must keep running, as an auto scaling group and a load balancer per
 * service would: the built image, the replica count and VM size, the load-balancer ports and the
 * health check. Sent from {@code i2kit up} to the supervisor as JSON. The accelerator is the one
 * {@code up} chose (it printed why); VMs started from then on use it, running ones keep theirs.
 */
public record DesiredState(String application, String zone, Accelerator accelerator, List<ServiceState> services) {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public DesiredState {
        services = List.copyOf(services);
    }

    /** One service: its image (by digest and files), its VMs and its load balancer. */
    public record ServiceState(String name, String image, String kernel, String initrd, String cmdline, int replicas,
                               int memoryMiB, int cpus, boolean isPublic, List<PortState> ports, HealthState health,
                               List<ForwardState> forwards, String metadata) {
        public ServiceState {
            ports = List.copyOf(ports);
            forwards = List.copyOf(forwards);
        }

        /** What a running replica depends on: a change here means new VMs. */
        boolean sameVmAs(ServiceState other) {
            return image.equals(other.image) && memoryMiB == other.memoryMiB && cpus == other.cpus
                    && cmdline.equals(other.cmdline) && forwards.equals(other.forwards) && metadata.equals(other.metadata)
                    && ports.stream().map(PortState::toVm).toList().equals(other.ports.stream().map(PortState::toVm).toList());
        }

        /** The same service with its ports as listed (the host ports its balancer really bound). */
        ServiceState withPorts(List<PortState> bound) {
            return new ServiceState(name, image, kernel, initrd, cmdline, replicas, memoryMiB, cpus, isPublic, bound,
                    health, forwards, metadata);
        }
    }

    /**
     * A load-balancer port: what it forwards to in the VMs and where it listens on the host,
     * {@code tcp:PORT} on 127.0.0.1 (public services) or {@code unix:PATH} (private ones), and the
     * owner-only socket through which the application's VMs reach it (a private port's listen path).
     */
    public record PortState(String protocol, int lbPort, int instancePort, String listen, String socket) {
        /** What the VMs see of the port: not the host port a public balancer listens on, which they never reach. */
        PortState toVm() {
            return listen.startsWith("tcp:") ? new PortState(protocol, lbPort, instancePort, "tcp", socket) : this;
        }
    }

    /** A discovery forward of the VMs: connections to guestIp:guestPort go to the load balancer's {@code socket}. */
    public record ForwardState(String guestIp, int guestPort, String socket) {
    }

    /** The manifest's health check, in milliseconds; {@code path} only for http. */
    public record HealthState(String protocol, int port, String path, long intervalMs, long timeoutMs, int healthy,
                              int unhealthy, long graceMs) {
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
