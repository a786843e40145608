package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A microservice: a pod of containers that runs as {@code replicas} identical VMs behind one load
 * balancer ({@code replicas} is the count to start with: {@code min} when {@code autoscaling} is set).
 * {@code uses} names the services it is told about as written (the manifest's {@code uses}, or what
 * an importer mapped to it); references in its environment add to them. {@code hostname} is the public
 * name it answers to; {@code redirectHttp} sends an http port to the https port of the same instance
 * port.
 */
public record Service(String name, int replicas, boolean isPublic, String instanceType, Resources resources,
                      Optional<Health> health, List<Container> containers, List<String> uses,
                      List<Volume> volumes, Optional<String> hostname, boolean redirectHttp,
                      Optional<Autoscaling> autoscaling) {
    public static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    public static final int MAX_REPLICAS = 100;

    public Service {
        containers = List.copyOf(containers);
        uses = List.copyOf(uses);
        volumes = List.copyOf(volumes);
    }

    /** A service with a fixed replica count, no hostname of its own, and http redirected where https serves the same port. */
    public Service(String name, int replicas, boolean isPublic, String instanceType, Resources resources,
                   Optional<Health> health, List<Container> containers, List<String> uses, List<Volume> volumes) {
        this(name, replicas, isPublic, instanceType, resources, health, containers, uses, volumes, Optional.empty(),
                true, Optional.empty());
    }

    /**
     * The https port that {@code port} redirects to: an http port redirects when the service also serves
     * https to the same instance port, unless the manifest says {@code redirect_http: false}.
     */
    public Optional<Port> redirectTarget(Port port) {
        if (!redirectHttp || port.lbProtocol() != Protocol.HTTP) {
            return Optional.empty();
        }
        return ports().stream()
                .filter(p -> p.lbProtocol() == Protocol.HTTPS && p.instancePort() == port.instancePort())
                .findFirst();
    }

    /** A service with volumes keeps state: its replicas are replaced stop-first, never side by side. */
    public boolean isStateful() {
        return !volumes.isEmpty();
    }

    /** Every secret name its containers read, sorted and once each. */
    public java.util.SortedSet<String> secretNames() {
        java.util.SortedSet<String> names = new java.util.TreeSet<>();
        containers.forEach(c -> names.addAll(c.secrets().values()));
        return java.util.Collections.unmodifiableSortedSet(names);
    }

    /** Every port of every container, in manifest order. */
    public List<Port> ports() {
        return containers.stream().flatMap(c -> c.ports().stream()).toList();
    }

    public Service withContainers(List<Container> newContainers) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, newContainers, uses, volumes,
                hostname, redirectHttp, autoscaling);
    }

    public Service withUses(List<String> newUses) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, containers, newUses, volumes,
                hostname, redirectHttp, autoscaling);
    }
}
