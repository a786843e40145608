package io.i2kit.manifest;

import io.i2kit.manifest.KubernetesSpec.Deployment;
import io.i2kit.manifest.KubernetesSpec.PodContainer;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a Deployment uses, read from its environment: a value that names a Kubernetes Service as a
 * host ({@code queue}, {@code queue:6379}, {@code redis://queue:6379/0},
 * {@code queue.shop.svc.cluster.local}) uses the i2kit service of the Deployment that Service
 * selects. Kubernetes announces every Service to every pod; i2kit announces a service to those that
 * use it, so this is how an imported pod keeps finding what it talks to.
 */
final class KubernetesUses {
    private final Binder model;
    /** Kubernetes Service name → the Deployment it selects, which is the i2kit service's name. */
    private final Map<String, Deployment> selected;

    KubernetesUses(Binder model, Map<String, Deployment> selected) {
        this.model = model;
        this.selected = Map.copyOf(selected);
    }

    List<String> of(Deployment d) {
        List<String> uses = new ArrayList<>();
        for (PodContainer pc : d.containers()) {
            Container c = pc.container();
            c.environment().forEach((name, value) -> {
                String path = d.path() + ".containers." + c.name() + ".environment." + name;
                serviceNamed(value, d).ifPresent(service -> {
                    String used = selected.get(service).name();
                    Position at = model.sources().at(path);
                    if (!used.equals(service)) {
                        model.warning(at, path, "\"" + service + "\" names a Service of Deployment \"" + used
                                + "\", which i2kit deploys as service \"" + used + "\": this host name does not "
                                + "resolve under i2kit; write ${" + used + ".host} instead");
                    }
                    if (!used.equals(d.name()) && !uses.contains(used)) {
                        model.record(Binder.item(d.path() + ".uses", uses.size()), at);
                        uses.add(used);
                    }
                });
            });
        }
        return uses;
    }

    /** The Service whose name is the host of {@code value}, in {@code d}'s namespace. */
    private Optional<String> serviceNamed(String value, Deployment d) {
        Optional<String> found = HostReference.host(value);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String host = found.get();
        int dot = host.indexOf('.');
        String first = dot < 0 ? host : host.substring(0, dot);
        if (!selected.containsKey(first)) {
            return Optional.empty();
        }
        String namespace = selected.get(first).metadata().namespace();
        String rest = dot < 0 ? "" : host.substring(dot + 1);
        boolean local = rest.isEmpty() || rest.equals(namespace) || rest.equals(namespace + ".svc")
                || rest.equals(namespace + ".svc.cluster.local");
        return local && namespace.equals(d.metadata().namespace()) ? Optional.of(first) : Optional.empty();
    }
}
