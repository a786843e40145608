package io.i2kit.manifest;

import java.util.List;
import java.util.Optional;

/** A microservice: a pod of containers that runs as {@code replicas} identical VMs behind one load balancer. */
public record Service(String name, int replicas, boolean isPublic, String instanceType, Resources resources,
                      Optional<Health> health, List<Container> containers) {
    public static final String DEFAULT_INSTANCE_TYPE = "t3.micro";
    public static final int MAX_REPLICAS = 100;

    public Service {
        containers = List.copyOf(containers);
    }

    /** Every port of every container, in manifest order. */
    public List<Port> ports() {
        return containers.stream().flatMap(c -> c.ports().stream()).toList();
    }

    public Service withContainers(List<Container> newContainers) {
        return new Service(name, replicas, isPublic, instanceType, resources, health, newContainers);
    }
}
