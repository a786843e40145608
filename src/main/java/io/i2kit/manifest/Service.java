package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/**
 * A microservice: a pod of containers that runs as {@code replicas} identical VMs behind one load
 * balancer. {@code uses} names the services it is told about as written (the manifest's
 * {@code uses}, or what an importer mapped to it); references in its environment add to them.
 */
public record Service(String name, int replicas, boolean isPublic, String instanceType, Resources resources,
                      Optional<Health> health, List<Container> containers, List<String> uses) {
    public static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    public static final int MAX_REPLICAS = 100;

    public Service {
        containers = List.copyOf(containers);
        uses = List.copyOf(uses);
    }

    /** Every port of every container, in manifest order. */
    public List<Port> ports() {
        return containers.stream().flatMap(c -> c.ports().stream()).toList();
    }

    public Service withContainers(List<Container> newContainers) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, newContainers, uses);
    }

    public Service withUses(List<String> newUses) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, containers, newUses);
    }
}
