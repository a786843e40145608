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
    /** {@code service/namespace} of each usable Kubernetes Service → the Deployment it selects. */
    private final Map<String, Deployment> selected;

    KubernetesUses(Binder model, Map<String, Deployment> selected) {
        this.model = model;
        this.selected = Map.copyOf(selected);
    }

    static String key(String service, String namespace) {
        return service + "/" + namespace;
    }

    /** A host name of a Kubernetes Service, and the Deployment (the i2kit service) it selects. */
    private record Named(String host, String service, Deployment deployment) {
    }

    List<String> of(Deployment d) {
        List<String> uses = new ArrayList<>();
        for (PodContainer pc : d.containers()) {
            Container c = pc.container();
            c.environment().forEach((name, value) -> {
                String path = d.path() + ".containers." + c.name() + ".environment." + name;
                named(value, d).ifPresent(named -> {
                    String used = named.deployment().name();
                    Position at = model.sources().at(path);
                    if (!named.host().equals(used)) {
                        model.warning(at, path, "\"" + named.host() + "\" is Kubernetes' name for Service \""
                                + named.service() + "\" of Deployment \"" + used + "\", which i2kit deploys as service \""
                                + used + "\": the name does not resolve under i2kit; write ${" + used + ".host} instead");
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

    /**
     * The Service {@code value} names as its host: {@code svc} in {@code d}'s namespace, or
     * {@code svc.ns}, {@code svc.ns.svc}, {@code svc.ns.svc.cluster.local} in namespace {@code ns}.
     */
    private Optional<Named> named(String value, Deployment d) {
        Optional<String> found = HostReference.host(value);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        String host = found.get();
        String[] labels = host.split("\\.", 2);
        String namespace = labels.length == 1 ? d.metadata().namespace()
                : labels[1].replaceFirst("\\.svc(\\.cluster\\.local)?$", "");
        if (namespace.contains(".")) {
            return Optional.empty();
        }
        return Optional.ofNullable(selected.get(key(labels[0], namespace)))
                .map(deployment -> new Named(host, labels[0], deployment));
    }
}
