package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A microservice: a pod of containers that runs as {@code replicas} identical VMs behind one load
 * balancer. {@code uses} names the services it is told about as written (the manifest's
 * {@code uses}, or what an importer mapped to it); references in its environment add to them.
 */
public record Service(String name, int replicas, boolean isPublic, String instanceType, Resources resources,
                      Optional<Health> health, List<Container> containers, List<String> uses,
                      List<Volume> volumes) {
    public static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    public static final int MAX_REPLICAS = 100;

    public Service {
        containers = List.copyOf(containers);
        uses = List.copyOf(uses);
        volumes = List.copyOf(volumes);
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
        return new Service(name, replicas, isPublic, instanceType, resources, health, newContainers, uses, volumes);
    }

    public Service withUses(List<String> newUses) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, containers, newUses, volumes);
    }
}
