package io.i2kit.discovery;

import io.i2kit.manifest.Placeholder;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Service;
import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Wires services together through environment variables: finds every service's endpoint,
 * substitutes explicit {@code ${service.attribute}} references, and works out what each service
 * uses (its {@code uses}, and every service its environment references); {@link Discovery#environment}
 * adds the announced {@code NAME_HOST}, {@code NAME_PORT} and {@code NAME_ENDPOINT} of those. Nothing
 * here orders services: they may use each other both ways.
 */
public final class DiscoveryResolver {
    private DiscoveryResolver() {
    }

    /** The discovery name of a service: {@code <service>.<app>.<domain>}. */
    public static String host(Application app, String service) {
        return service + "." + app.zone();
    }

    public static Map<String, ServiceEndpoint> endpoints(Application app) {
        Map<String, ServiceEndpoint> endpoints = new LinkedHashMap<>();
        for (Service s : app.services()) {
            if (!s.ports().isEmpty()) {
                endpoints.put(s.name(), new ServiceEndpoint(s.name(), host(app, s.name()), s.ports().get(0).lbPort()));
            }
        }
        return endpoints;
    }

    /** Resolves discovery, adding a problem for each reference that cannot be resolved. */
    public static Discovery resolve(Application app, SourceMap sources, Problems problems) {
        Map<String, ServiceEndpoint> endpoints = endpoints(app);
        List<Service> services = new ArrayList<>();
        Map<String, Set<String>> uses = new LinkedHashMap<>();
        for (Service service : app.services()) {
            Set<String> used = new LinkedHashSet<>(service.uses());
            List<Container> containers = new ArrayList<>();
            for (Container c : service.containers()) {
                String path = "services." + service.name() + ".containers." + c.name() + ".environment";
                containers.add(c.withEnvironment(environment(app, c, endpoints, path, sources, problems, used)));
            }
            services.add(service.withContainers(containers));
            uses.put(service.name(), used);
        }
        return new Discovery(app.withServices(services), endpoints, uses);
    }

    private static Map<String, String> environment(Application app, Container c, Map<String, ServiceEndpoint> endpoints,
                                                   String path, SourceMap sources, Problems problems, Set<String> used) {
        Map<String, String> env = new LinkedHashMap<>();
        c.environment().forEach((name, value) ->
                env.put(name, substitute(app, value, endpoints, path + "." + name, sources, problems, used)));
        return env;
    }

    /** {@code value} with its placeholders resolved; each service referenced is added to {@code used}. */
    private static String substitute(Application app, String value, Map<String, ServiceEndpoint> endpoints, String path,
                                     SourceMap sources, Problems problems, Set<String> used) {
        StringBuilder out = new StringBuilder();
        for (Placeholder.Part part : Placeholder.parse(value)) {
            if (part instanceof Placeholder.Text t) {
                out.append(t.text());
            } else if (part instanceof Placeholder.Bad b) {
                problems.error(sources.at(path), path, b.reference() + ": " + b.problem());
            } else if (part instanceof Placeholder.Ref r) {
                Placeholder p = r.placeholder();
                ServiceEndpoint e = endpoints.get(p.service());
                if (e == null) {
                    problems.error(sources.at(path), path, unknown(app, value.substring(p.start(), p.end()), p.service()));
                } else {
                    out.append(e.attribute(p.attribute()));
                    used.add(p.service());
                }
            }
        }
        return out.toString();
    }

    private static String unknown(Application app, String reference, String service) {
        if (app.service(service).isPresent()) {
            return reference + ": service \"" + service + "\" exposes no ports, so it has no endpoint";
        }
        return reference + ": unknown service \"" + service + "\""
                + Suggestions.closest(service, app.services().stream().map(Service::name).toList())
                        .map(s -> "; did you mean \"" + s + "\"?").orElse("");
    }
}
