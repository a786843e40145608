package io.i2kit.manifest;

import io.i2kit.manifest.KubernetesSpec.ContainerPort;
import io.i2kit.manifest.KubernetesSpec.Deployment;
import io.i2kit.manifest.KubernetesSpec.Metadata;
import io.i2kit.manifest.KubernetesSpec.PodContainer;
import io.i2kit.manifest.KubernetesSpec.ServicePort;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Normalises a Kubernetes file (one or more YAML documents) into the model: each apps/v1
 * Deployment becomes a service; the v1 Services selecting its pods give it its ports and decide
 * whether it is public. Other kinds are warned about and ignored.
 */
final class KubernetesImporter {
    private final Binder model;
    private final Path file;
    private final I2kitReader i2kit;
    private final List<Deployment> deployments = new ArrayList<>();
    private final List<KubernetesSpec.Service> services = new ArrayList<>();
    private final List<KubernetesSpec.VolumeClaim> claims = new ArrayList<>();
    private boolean sawDeployment;

    KubernetesImporter(Binder binder, Path file) {
        this.model = binder;
        this.file = file;
        this.i2kit = new I2kitReader(binder);
    }

    Optional<Application> read(List<YamlNode> documents) {
        documents.forEach(this::object);
        if (deployments.isEmpty()) {
            if (!sawDeployment) {
                model.error(documents.get(0), "", "no Deployment in this file; i2kit deploys each apps/v1 Deployment "
                        + "as a service");
            }
            return Optional.empty();
        }
        List<KubernetesSpec.Service> usable = services.stream().filter(this::selectsOne).toList();
        Map<String, Deployment> selected = new LinkedHashMap<>();
        usable.forEach(s -> deployments.stream().filter(s::selects).findFirst()
                .ifPresent(d -> selected.put(KubernetesUses.key(s.name(), s.metadata().namespace()), d)));
        KubernetesUses uses = new KubernetesUses(model, selected);
        List<Service> result = deployments.stream().map(d -> service(d, usable).withUses(uses.of(d))).toList();
        return name(documents.get(0)).map(n -> new Application(n, Application.DEFAULT_DOMAIN, PackageProfile.OFFLINE, DiscoveryScope.USED, result, List.of()));
    }

    private void object(YamlNode node) {
        Binder in = model.scratch();
        Optional<Mapping> found = in.mapping(node, "");
        if (found.isEmpty()) {
            return;
        }
        Mapping m = found.get();
        Optional<String> apiVersion = in.string(m, "apiVersion", "");
        Optional<String> kind = in.string(m, "kind", "");
        if (apiVersion.isEmpty() || kind.isEmpty()) {
            in.error(m, "", "expected a Kubernetes object with apiVersion and kind");
            return;
        }
        switch (kind.get()) {
            case "Deployment" -> {
                sawDeployment = true;
                if (apiVersion(in, m, kind.get(), "apps/v1")) {
                    new KubernetesDeploymentReader(in, model, file).read(m).ifPresent(deployments::add);
                }
            }
            case "Service" -> {
                if (apiVersion(in, m, kind.get(), "v1")) {
                    new KubernetesServiceReader(in).read(m).ifPresent(services::add);
                }
            }
            case "PersistentVolumeClaim" -> {
                if (apiVersion(in, m, kind.get(), "v1")) {
                    new KubernetesClaimReader(in).read(m).ifPresent(claims::add);
                }
            }
            case "List" -> in.value(m, "items", "").ifPresent(items -> {
                if (items instanceof Sequence seq) {
                    seq.items().forEach(this::object);
                } else {
                    in.error(items, "items", "expected a list of objects, found " + Binder.describe(items));
                }
            });
            default -> in.warning(m.get("kind").orElseThrow().position(), "kind", kind.get() + named(m)
                    + " is " + KubernetesSpec.UNSUPPORTED + "; ignored");
        }
    }

    private static boolean apiVersion(Binder in, Mapping m, String kind, String expected) {
        YamlNode node = m.get("apiVersion").orElseThrow();
        String found = ((YamlNode.Scalar) node).value();
        if (!found.equals(expected)) {
            in.error(node, "apiVersion", "a " + kind + " needs apiVersion " + expected + ", found \"" + found + "\"");
            return false;
        }
        return true;
    }

    private static String named(Mapping m) {
        return m.get("metadata").filter(Mapping.class::isInstance).flatMap(meta -> ((Mapping) meta).get("name"))
                .filter(YamlNode.Scalar.class::isInstance).map(n -> " \"" + ((YamlNode.Scalar) n).value() + "\"").orElse("");
    }

    /** A Service is usable when it selects the pods of exactly one Deployment of the file. */
    private boolean selectsOne(KubernetesSpec.Service s) {
        List<String> selected = deployments.stream().filter(s::selects).map(Deployment::name).toList();
        if (selected.isEmpty()) {
            model.warning(s.selectorAt(), "spec.selector", "Service \"" + s.name() + "\" selects no Deployment of "
                    + "this file; ignored");
        } else if (selected.size() > 1) {
            model.error(s.selectorAt(), "spec.selector", "Service \"" + s.name() + "\" selects the pods of "
                    + "Deployments " + String.join(" and ", selected) + "; i2kit gives each Deployment its own load "
                    + "balancer, so a Service must select one");
        }
        return selected.size() == 1;
    }

    private Service service(Deployment d, List<KubernetesSpec.Service> usable) {
        List<KubernetesSpec.Service> selecting = usable.stream().filter(s -> s.selects(d)).toList();
        List<List<Port>> ports = new ArrayList<>();
        d.containers().forEach(c -> ports.add(new ArrayList<>()));
        if (selecting.isEmpty()) {
            for (int i = 0; i < d.containers().size(); i++) {
                for (ContainerPort cp : d.containers().get(i).ports()) {
                    add(d, i, ports, cp.udp(), cp.number(), cp.number(), cp.node(), cp.path());
                }
            }
        } else {
            Set<ContainerPort> targeted = new HashSet<>();
            for (KubernetesSpec.Service s : selecting) {
                for (ServicePort p : s.ports()) {
                    target(d, p).ifPresent(t -> {
                        t.declared().ifPresent(targeted::add);
                        add(d, t.container(), ports, p.udp(), p.port(), t.port(), p.node(), p.path());
                    });
                }
            }
            d.containers().stream().flatMap(c -> c.ports().stream()).filter(cp -> !targeted.contains(cp)).forEach(cp ->
                    model.warning(cp.node().position(), cp.path(), "containerPort " + cp.number() + " is the target of "
                            + "no Service selecting Deployment \"" + d.name() + "\"; ignored"));
        }
        boolean isPublic = isPublic(d, selecting);
        List<Container> containers = new ArrayList<>();
        for (int i = 0; i < d.containers().size(); i++) {
            containers.add(d.containers().get(i).withPorts(ports.get(i)));
        }
        List<Port> all = ports.stream().flatMap(List::stream).toList();
        return new Service(d.name(), d.replicas(), isPublic, Service.DEFAULT_INSTANCE_TYPE, Resources.DEFAULT,
                Health.defaultFor(all), containers, List.of(), volumes(d));
    }

    /** A claimed volume is as large as its claim in this file requests, else 1 GiB, with a warning. */
    private List<Volume> volumes(Deployment d) {
        List<Volume> volumes = new ArrayList<>();
        for (KubernetesSpec.Claim c : d.claims()) {
            Optional<KubernetesSpec.VolumeClaim> claim = claims.stream().filter(vc -> vc.metadata().name().equals(c.claimName())
                    && vc.metadata().namespace().equals(d.metadata().namespace())).findFirst();
            long bytes = claim.map(KubernetesSpec.VolumeClaim::bytes).orElse(Volume.GIB);
            if (claim.isPresent()) {
                model.record(d.path() + ".volumes." + c.volume() + ".size", claim.get().sizeNode());
            }
            model.warning(c.node().position(), c.path(), "volume " + c.volume() + " (claim " + c.claimName() + ") becomes "
                    + "a volume of service " + d.name() + ": each replica gets its own, "
                    + claim.map(vc -> "of the " + Volume.describe(bytes) + " the claim requests")
                            .orElse("of 1GiB (the claim is not in this file); write the size in an i2kit manifest to change it"));
            volumes.add(new Volume(c.volume(), bytes));
        }
        return volumes;
    }

    private void add(Deployment d, int container, List<List<Port>> ports, boolean udp, int lbPort, int instancePort,
                     YamlNode at, String path) {
        i2kit.port((udp ? "udp:" : "") + lbPort + ":" + instancePort, at, path).ifPresent(port -> {
            List<Port> list = ports.get(container);
            if (!list.contains(port)) {
                String name = d.containers().get(container).container().name();
                model.record(d.path() + ".containers." + name + ".ports[" + list.size() + "]", at);
                list.add(port);
            }
        });
    }

    private record Target(int container, int port, Optional<ContainerPort> declared) {
    }

    /** The container and port a Service port forwards to: a named container port, or a number (default: port). */
    private Optional<Target> target(Deployment d, ServicePort p) {
        List<PodContainer> containers = d.containers();
        for (int i = 0; i < containers.size(); i++) {
            for (ContainerPort cp : containers.get(i).ports()) {
                boolean match = p.targetName().map(n -> cp.name().filter(n::equals).isPresent())
                        .orElse(cp.number() == p.targetNumber().orElse(p.port()));
                if (match && cp.udp() == p.udp()) {
                    return Optional.of(new Target(i, cp.number(), Optional.of(cp)));
                }
            }
        }
        if (p.targetName().isPresent()) {
            YamlNode at = ((Mapping) p.node()).get("targetPort").orElse(p.node());
            model.error(at, Binder.child(p.path(), "targetPort"), "\"" + p.targetName().get() + "\" names no "
                    + (p.udp() ? "UDP" : "TCP") + " port of the containers of Deployment \"" + d.name() + "\"");
            return Optional.empty();
        }
        return containers.isEmpty() ? Optional.empty()
                : Optional.of(new Target(0, p.targetNumber().orElse(p.port()), Optional.empty()));
    }

    /** Public when a selecting Service is; an i2kit service has one load balancer, so then all its ports are. */
    private boolean isPublic(Deployment d, List<KubernetesSpec.Service> selecting) {
        Optional<KubernetesSpec.Service> exposing = selecting.stream().filter(KubernetesSpec.Service::isPublic).findFirst();
        exposing.ifPresent(pub -> {
            model.record(d.path() + ".public", pub.at());
            selecting.stream().filter(s -> !s.isPublic() && !s.ports().isEmpty()).forEach(s ->
                    model.warning(s.at().position(), "spec.type", "the ports of " + s.type() + " Service \"" + s.name()
                            + "\" become public too: Service \"" + pub.name() + "\" makes Deployment \"" + d.name()
                            + "\" public, and an i2kit service has one load balancer for all its ports"));
        });
        return exposing.isPresent();
    }

    /**
     * The Deployments' common namespace unless it is {@code default}, else their common
     * {@code app.kubernetes.io/part-of} label, else the directory's name; made a DNS label.
     */
    private Optional<String> name(YamlNode firstDocument) {
        Metadata first = deployments.get(0).metadata();
        Optional<Metadata> otherNamespace = deployments.stream().map(Deployment::metadata)
                .filter(m -> !m.namespace().equals(first.namespace())).findFirst();
        if (otherNamespace.isEmpty() && !first.namespace().equals("default")) {
            return label(first.namespace(), first.namespaceNode().orElseThrow(), "namespace");
        }
        otherNamespace.ifPresent(other -> model.warning(other.namespaceNode().map(YamlNode::position).orElse(other.position()),
                "metadata.namespace", "the Deployments are in different namespaces (" + first.namespace() + ", "
                        + other.namespace() + "); the application is named after their " + KubernetesSpec.PART_OF
                        + " label or the directory"));
        String partOf = first.labels().get(KubernetesSpec.PART_OF);
        Optional<Metadata> otherPartOf = deployments.stream().map(Deployment::metadata)
                .filter(m -> !Objects.equals(m.labels().get(KubernetesSpec.PART_OF), partOf)).findFirst();
        if (otherPartOf.isEmpty() && partOf != null) {
            return label(partOf, first.labelNodes().get(KubernetesSpec.PART_OF), "label " + KubernetesSpec.PART_OF);
        }
        otherPartOf.ifPresent(other -> model.warning(other.position(), "metadata.labels", "the Deployments' "
                + KubernetesSpec.PART_OF + " labels differ; the application is named after the directory"));
        return label(DnsLabel.directoryName(file), firstDocument, "directory name");
    }

    private Optional<String> label(String text, YamlNode at, String source) {
        model.record("name", at);
        Optional<String> label = DnsLabel.from(text);
        if (label.isEmpty()) {
            model.error(at, "name", "the " + source + " \"" + text + "\" gives no usable application name; set the "
                    + "Deployments' namespace or their " + KubernetesSpec.PART_OF + " label");
        }
        return label;
    }
}
