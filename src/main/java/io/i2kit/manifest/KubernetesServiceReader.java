package io.i2kit.manifest;

import io.i2kit.manifest.KubernetesSpec.Metadata;
import io.i2kit.manifest.KubernetesSpec.ServicePort;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one v1 Service: which pods it selects, whether it is reachable from outside, and its ports.
 * A Service i2kit cannot use (no selector, ExternalName) is warned about and left out.
 */
final class KubernetesServiceReader {
    static final Set<String> METADATA_KEYS = Set.of("name", "namespace", "labels");
    static final Set<String> SPEC_KEYS = Set.of("selector", "ports", "type");
    static final Set<String> PORT_KEYS = Set.of("port", "targetPort", "protocol", "name");

    private final Binder in;

    KubernetesServiceReader(Binder in) {
        this.in = in;
    }

    Optional<KubernetesSpec.Service> read(Mapping document) {
        in.warnUnsupported(document, "", KubernetesDeploymentReader.OBJECT_KEYS, KubernetesSpec.UNSUPPORTED);
        Optional<Metadata> metadata = Metadata.read(in, document, METADATA_KEYS);
        Optional<Mapping> spec = in.value(document, "spec", "").flatMap(n -> in.mapping(n, "spec"));
        if (metadata.isEmpty() || spec.isEmpty()) {
            if (document.get("spec").isEmpty()) {
                in.error(document.position(), "spec", "missing; a Service needs spec.selector and spec.ports");
            }
            return Optional.empty();
        }
        String name = metadata.get().name();
        Mapping m = spec.get();
        in.warnUnsupported(m, "spec", SPEC_KEYS, KubernetesSpec.UNSUPPORTED);
        YamlNode typeNode = m.get("type").orElse(document);
        String type = in.string(m, "type", "spec").orElse("ClusterIP");
        boolean isPublic;
        switch (type) {
            case "ClusterIP" -> isPublic = false;
            case "NodePort", "LoadBalancer" -> isPublic = true;
            case "ExternalName" -> {
                in.warning(typeNode.position(), "spec.type", "Service \"" + name + "\" of type ExternalName is not "
                        + "supported (it selects no pods); ignored");
                return Optional.empty();
            }
            default -> {
                in.error(typeNode, "spec.type", "unknown Service type \"" + type + "\"; expected ClusterIP, NodePort or LoadBalancer");
                return Optional.empty();
            }
        }
        Map<String, String> selector = new LinkedHashMap<>();
        in.value(m, "selector", "spec").flatMap(n -> in.mapping(n, "spec.selector")).ifPresent(s ->
                s.entries().forEach((key, value) ->
                        in.string(value, "spec.selector." + key).ifPresent(v -> selector.put(key, v))));
        if (selector.isEmpty()) {
            in.warning(m.keyPosition("selector"), "spec.selector", "Service \"" + name + "\" selects no pods "
                    + "(it has no selector); ignored");
            return Optional.empty();
        }
        return Optional.of(new KubernetesSpec.Service(metadata.get(), selector, m.keyPosition("selector"), isPublic, type, typeNode, ports(m)));
    }

    private List<ServicePort> ports(Mapping spec) {
        List<ServicePort> ports = new ArrayList<>();
        in.value(spec, "ports", "spec").ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, "spec.ports", "expected a list of {port, targetPort, protocol}, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                String ipath = Binder.item("spec.ports", i);
                YamlNode item = seq.items().get(i);
                in.mapping(item, ipath).ifPresent(p -> port(p, item, ipath).ifPresent(ports::add));
            }
        });
        return ports;
    }

    private Optional<ServicePort> port(Mapping p, YamlNode item, String path) {
        in.warnUnsupported(p, path, PORT_KEYS, KubernetesSpec.UNSUPPORTED);
        if (p.get("port").isEmpty()) {
            in.error(p.position(), Binder.child(path, "port"), "missing; expected the Service's port");
        }
        Optional<Integer> port = in.integer(p, "port", path, 1, 65535);
        Optional<Integer> targetNumber = Optional.empty();
        Optional<String> targetName = Optional.empty();
        Optional<YamlNode> target = in.value(p, "targetPort", path);
        if (target.isPresent()) {
            if (target.get() instanceof Scalar s && s.plain() && s.value().matches("-?\\d+")) {
                targetNumber = in.integer(s, Binder.child(path, "targetPort"), 1, 65535);
                if (targetNumber.isEmpty()) {
                    return Optional.empty();
                }
            } else {
                targetName = in.string(target.get(), Binder.child(path, "targetPort"));
            }
        }
        Optional<Boolean> udp = protocol(in, p, path);
        if (port.isEmpty() || udp.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new ServicePort(port.get(), targetNumber, targetName, udp.get(), item, path));
    }

    /** Whether {@code protocol} (TCP when unset) is UDP; empty, with an error, when i2kit cannot carry it. */
    static Optional<Boolean> protocol(Binder in, Mapping m, String path) {
        Optional<YamlNode> node = in.value(m, "protocol", path);
        if (node.isEmpty()) {
            return Optional.of(false);
        }
        return in.string(node.get(), Binder.child(path, "protocol")).flatMap(protocol -> switch (protocol) {
            case "TCP" -> Optional.of(false);
            case "UDP" -> Optional.of(true);
            default -> {
                in.error(node.get(), Binder.child(path, "protocol"), "protocol \"" + protocol
                        + "\" is not supported; expected TCP or UDP");
                yield Optional.<Boolean>empty();
            }
        });
    }
}
