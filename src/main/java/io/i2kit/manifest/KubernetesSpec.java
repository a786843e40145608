package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the Kubernetes importer keeps of each object it reads, with where it was written. Paths are
 * the object's own ({@code spec.ports[0]}), for messages about the file as the user wrote it.
 */
final class KubernetesSpec {
    static final String UNSUPPORTED = "not supported by i2kit's Kubernetes importer";
    static final String PART_OF = "app.kubernetes.io/part-of";

    private KubernetesSpec() {
    }

    /** An object's name, namespace ({@code default} when unset, as kubectl applies it) and labels. */
    record Metadata(String name, String namespace, Optional<YamlNode> namespaceNode, Map<String, String> labels,
                    Map<String, YamlNode> labelNodes, Position position) {
        Metadata {
            labels = Map.copyOf(labels);
            labelNodes = Map.copyOf(labelNodes);
        }

        static Optional<Metadata> read(Binder in, Mapping document, java.util.Set<String> supported) {
            Optional<Mapping> found = in.value(document, "metadata", "").flatMap(n -> in.mapping(n, "metadata"));
            if (found.isEmpty()) {
                if (document.get("metadata").isEmpty()) {
                    in.error(document.position(), "metadata.name", "missing; expected the object's name");
                }
                return Optional.empty();
            }
            Mapping m = found.get();
            in.warnUnsupported(m, "metadata", supported, UNSUPPORTED);
            String name = in.required(m, "name", "metadata", "the object's name");
            Optional<YamlNode> namespaceNode = in.value(m, "namespace", "metadata");
            String namespace = in.string(m, "namespace", "metadata").orElse("default");
            Map<String, String> labels = new LinkedHashMap<>();
            Map<String, YamlNode> labelNodes = new LinkedHashMap<>();
            labels(in, m, "metadata", labels, labelNodes);
            return name == null ? Optional.empty()
                    : Optional.of(new Metadata(name, namespace, namespaceNode, labels, labelNodes, m.keyPosition("name")));
        }

        static void labels(Binder in, Mapping m, String path, Map<String, String> labels, Map<String, YamlNode> nodes) {
            in.value(m, "labels", path).flatMap(n -> in.mapping(n, Binder.child(path, "labels"))).ifPresent(map ->
                    map.entries().forEach((key, value) ->
                            in.string(value, Binder.child(path, "labels." + key)).ifPresent(v -> {
                                labels.put(key, v);
                                nodes.put(key, value);
                            })));
        }
    }

    record Deployment(Metadata metadata, Map<String, String> podLabels, int replicas, List<PodContainer> containers,
                      List<Claim> claims) {
        Deployment {
            podLabels = Map.copyOf(podLabels);
            containers = List.copyOf(containers);
            claims = List.copyOf(claims);
        }

        String name() {
            return metadata.name();
        }

        /** The model's path of this Deployment's service. */
        String path() {
            return "services." + name();
        }
    }

    /** A container without its ports, which depend on the Services that select the pod. */
    record PodContainer(Container container, List<ContainerPort> ports) {
        PodContainer {
            ports = List.copyOf(ports);
        }

        Container withPorts(List<Port> newPorts) {
            Container c = container;
            return new Container(c.name(), c.image(), c.entrypoint(), c.command(), c.environment(), newPorts,
                    c.capabilities(), c.capDrop(), c.binds(), c.readonly(), c.user(), c.workingDir(), c.mounts(),
                    c.secrets());
        }
    }

    record ContainerPort(int number, boolean udp, Optional<String> name, YamlNode node, String path) {
    }

    /**
     * A pod volume backed by a PersistentVolumeClaim that a container mounts: it becomes the
     * service's volume {@code volume}, sized after the claim when the file holds it.
     */
    record Claim(String volume, String claimName, YamlNode node, String path) {
    }

    /** A PersistentVolumeClaim of the file: its requested storage, in bytes. */
    record VolumeClaim(Metadata metadata, long bytes, YamlNode sizeNode) {
    }

    /** {@code at} is where the type is written (or the object, when it is not): what makes the service public. */
    record Service(Metadata metadata, Map<String, String> selector, Position selectorAt, boolean isPublic, String type,
                   YamlNode at, List<ServicePort> ports) {
        Service {
            selector = Map.copyOf(selector);
            ports = List.copyOf(ports);
        }

        String name() {
            return metadata.name();
        }

        boolean selects(Deployment d) {
            return metadata.namespace().equals(d.metadata().namespace())
                    && d.podLabels().entrySet().containsAll(selector.entrySet());
        }
    }

    /** {@code targetName} or {@code targetNumber} when {@code targetPort} was written; else the target is {@code port}. */
    record ServicePort(int port, Optional<Integer> targetNumber, Optional<String> targetName, boolean udp,
                       YamlNode node, String path) {
    }
}
