package io.i2kit.manifest;

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
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads one compose service's {@code ports} and {@code expose} into i2kit ports. Compose publishes
 * {@code ports} outside the host, so a service with one becomes public; {@code expose} and ports
 * bound to loopback stay private. An i2kit service has one load balancer, so once it is public all
 * of its ports are: each private-meant port that becomes public is warned about.
 */
final class ComposePortReader {
    static final Set<String> LONG_KEYS = Set.of("target", "published", "protocol", "host_ip");
    private static final Set<String> ALL_ADDRESSES = Set.of("0.0.0.0", "::", "[::]");

    private final Binder in;
    private final Binder model;
    private final I2kitReader i2kit;
    private final String path;
    private final String cpath;
    private final List<Port> ports = new ArrayList<>();
    private final List<Pending> privatePorts = new ArrayList<>();
    private Optional<YamlNode> published = Optional.empty();

    /** A port meant to stay private: exposed, or published on loopback ({@code hostIp}). */
    private record Pending(YamlNode node, String path, Port port, Optional<String> hostIp) {
    }

    ComposePortReader(Binder in, Binder model, I2kitReader i2kit, String path, String cpath) {
        this.in = in;
        this.model = model;
        this.i2kit = i2kit;
        this.path = path;
        this.cpath = cpath;
    }

    List<Port> ports() {
        return List.copyOf(ports);
    }

    boolean isPublic() {
        return published.isPresent();
    }

    void read(Mapping service) {
        items(service, "ports").forEach((ipath, item) -> publish(item, ipath));
        items(service, "expose").forEach((ipath, item) -> expose(item, ipath));
        published.ifPresent(node -> model.record(path + ".public", node));
        for (Pending p : privatePorts) {
            String ignored = p.hostIp().map(ip -> "host IP " + ip + " ignored; ").orElse("");
            if (isPublic()) {
                in.warning(p.node().position(), p.path(), ignored + "port " + p.port().lbPort() + " becomes public too: "
                        + "the service publishes other ports, and an i2kit service has one load balancer for all its ports");
            } else if (p.hostIp().isPresent()) {
                in.warning(p.node().position(), p.path(), ignored + "a port published on a loopback address stays "
                        + "private, as with expose:");
            }
        }
    }

    private Map<String, YamlNode> items(Mapping service, String key) {
        Map<String, YamlNode> items = new LinkedHashMap<>();
        String kpath = Binder.child(path, key);
        in.value(service, key, path).ifPresent(n -> {
            if (n instanceof Sequence seq) {
                for (int i = 0; i < seq.items().size(); i++) {
                    items.put(Binder.item(kpath, i), seq.items().get(i));
                }
            } else {
                in.error(n, kpath, "expected a list of ports such as [\"8080:80\"], found " + Binder.describe(n));
            }
        });
        return items;
    }

    private void publish(YamlNode item, String ipath) {
        Optional<ComposePort> parsed = item instanceof Mapping m ? longSyntax(m, ipath) : shortSyntax(item, ipath);
        parsed.ifPresent(p -> {
            p.hostIp().filter(ip -> !ALL_ADDRESSES.contains(ip) && !p.loopback()).ifPresent(ip -> in.warning(
                    item.position(), ipath, "host IP " + ip + " ignored; the load balancer listens on all its addresses"));
            add(p, item, ipath, !p.loopback());
        });
    }

    private void expose(YamlNode item, String ipath) {
        shortSyntax(item, ipath).ifPresent(p -> {
            if (p.published().isPresent() || p.hostIp().isPresent()) {
                in.error(item, ipath, "expose takes container ports only, such as 3000 or 3000/udp");
                return;
            }
            boolean known = ports.stream().anyMatch(q -> q.instancePort() == p.target()
                    && (q.instanceProtocol() == Protocol.UDP) == p.udp());
            if (!known) {
                add(p, item, ipath, false);
            }
        });
    }

    private void add(ComposePort p, YamlNode item, String ipath, boolean isPublic) {
        i2kit.port(p.toI2kit(), item, ipath).ifPresent(port -> {
            model.record(cpath + ".ports[" + ports.size() + "]", item);
            ports.add(port);
            if (isPublic) {
                published = published.or(() -> Optional.of(item));
            } else {
                privatePorts.add(new Pending(item, ipath, port, p.hostIp()));
            }
        });
    }

    private Optional<ComposePort> shortSyntax(YamlNode item, String ipath) {
        if (!(item instanceof Scalar s) || s.isNull()) {
            in.error(item, ipath, "expected a port such as \"8080:80\", found " + Binder.describe(item));
            return Optional.empty();
        }
        ComposePort.Parsed parsed = ComposePort.parse(s.value());
        if (parsed.port().isEmpty()) {
            in.error(item, ipath, "invalid port \"" + s.value() + "\": " + parsed.error());
        }
        return parsed.port();
    }

    private Optional<ComposePort> longSyntax(Mapping m, String ipath) {
        in.warnUnsupported(m, ipath, LONG_KEYS, ComposeImporter.UNSUPPORTED);
        if (m.get("target").isEmpty()) {
            in.error(m.position(), Binder.child(ipath, "target"), "missing; expected the container's port");
        }
        Optional<Integer> target = in.integer(m, "target", ipath, 1, 65535);
        OptionalInt published = OptionalInt.empty();
        Optional<YamlNode> publishedNode = in.value(m, "published", ipath);
        if (publishedNode.isPresent()) {
            Optional<Integer> number = in.string(publishedNode.get(), Binder.child(ipath, "published"))
                    .flatMap(text -> {
                        Optional<Integer> n = ComposePort.number(text);
                        if (n.isEmpty()) {
                            in.error(publishedNode.get(), Binder.child(ipath, "published"), ComposePort.numberError(text));
                        }
                        return n;
                    });
            if (number.isEmpty()) {
                return Optional.empty();
            }
            published = OptionalInt.of(number.get());
        }
        boolean udp = false;
        Optional<String> protocol = in.string(m, "protocol", ipath);
        if (protocol.isPresent()) {
            Optional<Boolean> isUdp = ComposePort.protocol(protocol.get());
            if (isUdp.isEmpty()) {
                in.error(m.get("protocol").orElseThrow(), Binder.child(ipath, "protocol"), ComposePort.protocolError(protocol.get()));
                return Optional.empty();
            }
            udp = isUdp.get();
        }
        Optional<String> hostIp = in.string(m, "host_ip", ipath);
        OptionalInt lb = published;
        boolean isUdp = udp;
        return target.map(t -> new ComposePort(hostIp, lb, t, isUdp));
    }
}
