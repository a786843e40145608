package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.vm.Accelerator;
import io.i2kit.provider.local.vm.GuestForward;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What the local supervisor must keep running, as an auto scaling group and a load balancer per
 * service would: the built image, the replica count and VM size, the load-balancer ports and the
 * health check. Sent from {@code i2kit up} to the supervisor, and kept in running.json, as JSON
 * ({@link LocalJson}). The accelerator is the one {@code up} chose (it printed why); VMs started
 * from then on use it, running ones keep theirs.
 */
public record DesiredState(String application, String zone, Accelerator accelerator, List<ServiceState> services) {
    public DesiredState {
        services = List.copyOf(services);
    }

    /**
     * One service: its image (by digest and files), its VMs and its load balancer.
     *
     * @param health   the manifest's check, or its default; empty for a service without one (a worker)
     * @param forwards how its VMs reach the other services' balancers
     * @param metadata the boot metadata payload (JSON) its VMs receive
     * @param replicas    how many VMs to keep now: the manifest's count, or for an autoscaled service
     *                    the count its autoscaler last chose (min at first)
     * @param volumes     each replica's volumes, in the order of their disks' serials ({@code i2kit-v0}, ...)
     * @param autoscaling the manifest's range and target; empty for a fixed count
     * @param hostname    the public name its balancer's certificate also names
     */
    public record ServiceState(String name, String image, Path kernel, Path initrd, String cmdline, int replicas,
                               int memoryMiB, int cpus, boolean isPublic, List<PortState> ports, Optional<Health> health,
                               List<GuestForward> forwards, String metadata, List<VolumeState> volumes,
                               Optional<ScalingState> autoscaling, Optional<String> hostname) {
        public ServiceState {
            ports = List.copyOf(ports);
            forwards = List.copyOf(forwards);
            health = health == null ? Optional.empty() : health;
            volumes = volumes == null ? List.of() : List.copyOf(volumes); // absent from a stateless service's older state
            autoscaling = autoscaling == null ? Optional.empty() : autoscaling; // absent from older state
            hostname = hostname == null ? Optional.empty() : hostname; // absent from older state
        }

        /** A service at a fixed count, without a hostname of its own. */
        public ServiceState(String name, String image, Path kernel, Path initrd, String cmdline, int replicas,
                            int memoryMiB, int cpus, boolean isPublic, List<PortState> ports, Optional<Health> health,
                            List<GuestForward> forwards, String metadata, List<VolumeState> volumes) {
            this(name, image, kernel, initrd, cmdline, replicas, memoryMiB, cpus, isPublic, ports, health, forwards,
                    metadata, volumes, Optional.empty(), Optional.empty());
        }

        /** A service without volumes. */
        public ServiceState(String name, String image, Path kernel, Path initrd, String cmdline, int replicas,
                            int memoryMiB, int cpus, boolean isPublic, List<PortState> ports, Optional<Health> health,
                            List<GuestForward> forwards, String metadata) {
            this(name, image, kernel, initrd, cmdline, replicas, memoryMiB, cpus, isPublic, ports, health, forwards,
                    metadata, List.of());
        }

        /** Whether its replicas keep data on volumes: then no two VMs of a replica ever run at once. */
        boolean stateful() {
            return !volumes.isEmpty();
        }

        /** What a running replica depends on: a change here means new VMs. */
        boolean sameVmAs(ServiceState other) {
            return image.equals(other.image) && memoryMiB == other.memoryMiB && cpus == other.cpus
                    && cmdline.equals(other.cmdline) && forwards.equals(other.forwards) && metadata.equals(other.metadata)
                    && vmPorts().equals(other.vmPorts());
        }

        /** The ports as the VMs see them ({@link PortState#toVm}). */
        List<PortState> vmPorts() {
            return ports.stream().map(PortState::toVm).toList();
        }

        /** The same service with its ports as listed (the host ports its balancer really bound). */
        ServiceState withPorts(List<PortState> bound) {
            return new ServiceState(name, image, kernel, initrd, cmdline, replicas, memoryMiB, cpus, isPublic, bound,
                    health, forwards, metadata, volumes, autoscaling, hostname);
        }

        /**
         * This service as it replaces {@code running}: an autoscaled one keeps the count its
         * autoscaler chose, brought into its (maybe new) range, as an update on AWS keeps a scaling
         * group's desired capacity.
         */
        ServiceState keeping(ServiceState running) {
            return autoscaling.map(a -> withReplicas(a.clamp(running.replicas()))).orElse(this);
        }

        /** The same service kept at {@code count} VMs. */
        ServiceState withReplicas(int count) {
            return new ServiceState(name, image, kernel, initrd, cmdline, count, memoryMiB, cpus, isPublic, ports,
                    health, forwards, metadata, volumes, autoscaling, hostname);
        }
    }

    /**
     * An autoscaled service's range and its one target: CPU percent (scaled locally) or requests per
     * target (scaled on AWS only: the local balancer relays connections and counts no requests).
     */
    public record ScalingState(int min, int max, Optional<Integer> cpuPercent, Optional<Integer> requestsPerTarget) {
        public ScalingState {
            cpuPercent = cpuPercent == null ? Optional.empty() : cpuPercent;
            requestsPerTarget = requestsPerTarget == null ? Optional.empty() : requestsPerTarget;
        }

        /** {@code count} brought into [min, max]. */
        int clamp(int count) {
            return Math.max(min, Math.min(max, count));
        }

        /** How {@code status} and the log name the policy: {@code 1..4 on cpu 60%}. */
        String describe() {
            return min + ".." + max + cpuPercent.map(c -> " on cpu " + c + "%")
                    .orElse(requestsPerTarget.map(r -> " on " + r + " requests per target").orElse(""));
        }
    }

    /** A volume each replica of a service has, by name, with the size its disk file gets when created. */
    public record VolumeState(String name, long sizeBytes) {
    }

    /**
     * A load-balancer port: what it forwards to in the VMs and where it listens on the host, TCP on
     * 127.0.0.1 (public services; port 0 for any free one) or a Unix socket (private ones), and the
     * owner-only {@code socket} through which the application's VMs reach it (a private port's
     * listen path). {@code instanceProtocol}: what the VMs speak on the instance port (TLS is
     * terminated by the balancer only when they speak plain http/tcp). {@code redirectTo}: for an
     * http port, the https port its public listener redirects to instead of forwarding.
     */
    public record PortState(Protocol protocol, int lbPort, int instancePort, Endpoint listen, Path socket,
                            Protocol instanceProtocol, Optional<Integer> redirectTo) {
        public PortState {
            // Both absent from older state: the manifest's defaults.
            instanceProtocol = instanceProtocol == null ? protocol.defaultInstanceProtocol() : instanceProtocol;
            redirectTo = redirectTo == null ? Optional.empty() : redirectTo;
        }

        public PortState(Protocol protocol, int lbPort, int instancePort, Endpoint listen, Path socket) {
            this(protocol, lbPort, instancePort, listen, socket, null, Optional.empty());
        }

        /**
         * What the VMs see of the port: not the host port a public balancer listens on, which they
         * never reach, nor whether its listener redirects.
         */
        PortState toVm() {
            PortState vm = new PortState(protocol, lbPort, instancePort, listen, socket, instanceProtocol, Optional.empty());
            return listen instanceof Endpoint.Tcp ? vm.withListen(Endpoint.tcp(0)) : vm;
        }

        PortState withListen(Endpoint where) {
            return new PortState(protocol, lbPort, instancePort, where, socket, instanceProtocol, redirectTo);
        }

        /** Whether the balancer terminates TLS on this port's public listener: the VMs then see plain http/tcp. */
        boolean terminatesTls() {
            return protocol.needsCertificate() && !instanceProtocol.needsCertificate() && listen instanceof Endpoint.Tcp;
        }
    }

    public String toJson() {
        return LocalJson.writeIndented(this);
    }

    public static DesiredState fromJson(String json) {
        try {
            return LocalJson.read(json, DesiredState.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new I2kitException("a desired state is damaged: " + e.getOriginalMessage(), e);
        }
    }

    public Optional<ServiceState> service(String name) {
        return services.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
