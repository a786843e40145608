package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.Position;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A compose service's {@code depends_on} (a list, or the long form's map) and {@code links}
 * ({@code svc} or {@code svc:alias}) as the services it uses: each is announced to it. What compose
 * does beyond naming the service (start order, health conditions, alias names) is warned about.
 * Names are checked on the model, where every service is known. Compose lets every service reach
 * every other by name, so an environment value naming another service as its host
 * ({@code QUEUE_HOST: queue}, {@code redis://db:6379/0}) is a use too.
 */
final class ComposeUsesReader {
    private static final Set<String> LONG_FORM_KEYS = Set.of("condition", "required");

    private final Binder in;
    private final Binder model;
    private final String path;
    private final List<String> uses = new ArrayList<>();

    ComposeUsesReader(Binder in, Binder model, String path) {
        this.in = in;
        this.model = model;
        this.path = path;
    }

    List<String> uses(Mapping service) {
        in.value(service, "depends_on", path).ifPresent(this::dependsOn);
        in.value(service, "links", path).ifPresent(this::links);
        return List.copyOf(uses);
    }

    private void dependsOn(YamlNode node) {
        String dpath = Binder.child(path, "depends_on");
        if (node instanceof Sequence seq) {
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                in.string(item, Binder.item(dpath, i)).ifPresent(name -> use(name, item));
            }
        } else if (node instanceof Mapping map) {
            map.entries().forEach((name, options) -> {
                String opath = Binder.child(dpath, name);
                use(name, map.keyPosition(name));
                if (options instanceof Mapping o) {
                    in.warnUnsupported(o, opath, LONG_FORM_KEYS, ComposeImporter.UNSUPPORTED);
                    in.string(o, "condition", opath).filter(c -> !c.equals("service_started")).ifPresent(c ->
                            in.warning(o.keyPosition("condition"), Binder.child(opath, "condition"), c + " is not "
                                    + "waited for: i2kit starts services together; " + name + " is announced to this "
                                    + "service, which should retry until it answers"));
                } else if (!Binder.isEmpty(options)) {
                    in.error(options, opath, "expected a map such as {condition: service_started}, found "
                            + Binder.describe(options));
                }
            });
        } else {
            in.error(node, dpath, "expected a list of service names or a map of service name to options, found "
                    + Binder.describe(node));
        }
    }

    private void links(YamlNode node) {
        String lpath = Binder.child(path, "links");
        if (!(node instanceof Sequence seq)) {
            in.error(node, lpath, "expected a list of SERVICE or SERVICE:ALIAS, found " + Binder.describe(node));
            return;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            YamlNode item = seq.items().get(i);
            String ipath = Binder.item(lpath, i);
            in.string(item, ipath).ifPresent(link -> {
                int colon = link.indexOf(':');
                String name = colon < 0 ? link : link.substring(0, colon);
                if (colon >= 0 && !link.substring(colon + 1).equals(name)) {
                    in.warning(item.position(), ipath, "the alias \"" + link.substring(colon + 1) + "\" is not "
                            + "supported: the service is reached as " + name + " (or through its discovery variables)");
                }
                use(name, item);
            });
        }
    }

    /** {@code service} with the services its environment values name as hosts added to its uses. */
    static Service withNamedHosts(Binder model, Service service, List<String> services) {
        List<String> uses = new ArrayList<>(service.uses());
        String path = "services." + service.name();
        for (Container c : service.containers()) {
            c.environment().forEach((key, value) -> HostReference.host(value)
                    .filter(host -> services.contains(host) && !host.equals(service.name()) && !uses.contains(host))
                    .ifPresent(host -> {
                        model.record(Binder.item(Binder.child(path, "uses"), uses.size()),
                                model.sources().at(path + ".containers." + c.name() + ".environment." + key));
                        uses.add(host);
                    }));
        }
        return service.withUses(uses);
    }

    private void use(String name, YamlNode at) {
        use(name, at.position());
    }

    private void use(String name, Position at) {
        if (!uses.contains(name)) {
            model.record(Binder.item(Binder.child(path, "uses"), uses.size()), at);
            uses.add(name);
        }
    }
}
