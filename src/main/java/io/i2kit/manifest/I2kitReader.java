package io.i2kit.manifest;

import io.i2kit.oci.ImageReference;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Binds an i2kit manifest ({@code i2kit.yml}) to the model, checking shapes and ranges. */
final class I2kitReader {
    static final Set<String> APP_KEYS = Set.of("name", "domain", "packages", "discovery", "services", "secrets", "logs");
    static final Set<String> LOGS_KEYS = Set.of("retention_days");
    static final Set<String> SCALING_KEYS = Set.of("min", "max", "cpu", "requests_per_target");
    static final Set<String> SECRET_KEYS = Set.of("generate", "length");
    static final Set<String> SERVICE_KEYS = Set.of("replicas", "public", "instance_type", "resources", "health", "uses",
            "volumes", "containers", "hostname", "redirect_http");
    static final Set<String> VOLUME_KEYS = Set.of("size");
    static final Set<String> RESOURCE_KEYS = Set.of("memory", "cpus");
    static final Set<String> HEALTH_KEYS = Set.of("protocol", "port", "path", "interval", "timeout",
            "healthy_threshold", "unhealthy_threshold", "grace_period");
    static final Set<String> CONTAINER_KEYS = Set.of("image", "command", "entrypoint", "environment", "ports",
            "capabilities", "cap_drop", "binds", "readonly", "user", "working_dir", "mounts", "secrets");

    private final Binder in;
    private final ValueReader values;

    I2kitReader(Binder binder) {
        this.in = binder;
        this.values = new ValueReader(binder);
    }

    Optional<Application> read(YamlNode root) {
        Optional<Mapping> app = in.mapping(root, "");
        if (app.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = app.get();
        in.allowOnly(m, "", APP_KEYS);
        String name = in.required(m, "name", "", "the application's name, a DNS label such as \"polls\"");
        String domain = in.string(m, "domain", "").orElse(Application.DEFAULT_DOMAIN);
        PackageProfile packages = in.string(m, "packages", "").flatMap(p -> {
            Optional<PackageProfile> profile = PackageProfile.parse(p);
            if (profile.isEmpty()) {
                in.error(m.get("packages").orElseThrow(), "packages", "unknown package profile \"" + p + "\"; expected offline or linuxkit");
            }
            return profile;
        }).orElse(PackageProfile.OFFLINE);
        DiscoveryScope discovery = in.string(m, "discovery", "").flatMap(d -> {
            Optional<DiscoveryScope> scope = DiscoveryScope.parse(d);
            if (scope.isEmpty()) {
                in.error(m.get("discovery").orElseThrow(), "discovery", "expected used (the default: each service is told "
                        + "about the services it uses) or all (each service is told about every other), found \"" + d + "\"");
            }
            return scope;
        }).orElse(DiscoveryScope.USED);
        List<Service> services = new ArrayList<>();
        Optional<YamlNode> servicesNode = in.value(m, "services", "");
        if (servicesNode.isEmpty()) {
            in.error(m.position(), "services", "missing; expected a map of service name to service");
        }
        servicesNode.flatMap(n -> in.mapping(n, "services")).ifPresent(map -> {
            if (map.entries().isEmpty()) {
                in.error(map, "services", "expected at least one service");
            }
            map.entries().forEach((serviceName, node) -> {
                in.record("services." + serviceName, map.keyPosition(serviceName));
                service(serviceName, node, "services." + serviceName).ifPresent(services::add);
            });
        });
        List<SecretSpec> secrets = secrets(m);
        int retention = logRetentionDays(m);
        return name == null ? Optional.empty()
                : Optional.of(new Application(name, domain, packages, discovery, services, secrets, retention));
    }

    /** {@code logs: {retention_days: 30}}: one of the periods CloudWatch Logs accepts. */
    private int logRetentionDays(Mapping app) {
        return in.value(app, "logs", "").flatMap(n -> in.mapping(n, "logs")).flatMap(logs -> {
            in.allowOnly(logs, "logs", LOGS_KEYS);
            return in.integer(logs, "retention_days", "logs", 1, 3653).filter(days -> {
                if (!Application.LOG_RETENTION_DAYS.contains(days)) {
                    in.error(logs.get("retention_days").orElseThrow(), "logs.retention_days", days + " days is not a "
                            + "retention CloudWatch Logs accepts; expected one of " + Application.LOG_RETENTION_DAYS);
                    return false;
                }
                return true;
            });
        }).orElse(Application.DEFAULT_LOG_RETENTION_DAYS);
    }

    /** {@code secrets: {NAME: {generate: true, length: 32}}}; {@code NAME: {}} only declares it. */
    private List<SecretSpec> secrets(Mapping app) {
        List<SecretSpec> secrets = new ArrayList<>();
        in.value(app, "secrets", "").flatMap(n -> in.mapping(n, "secrets")).ifPresent(map ->
                map.entries().forEach((name, node) -> {
                    String p = Binder.child("secrets", name);
                    in.record(p, map.keyPosition(name));
                    if (node instanceof Scalar s && s.isNull()) {
                        secrets.add(new SecretSpec(name, false, SecretSpec.DEFAULT_LENGTH));
                        return;
                    }
                    in.mapping(node, p).ifPresent(v -> {
                        in.allowOnly(v, p, SECRET_KEYS);
                        boolean generate = in.bool(v, "generate", p).orElse(false);
                        int length = in.integer(v, "length", p, SecretSpec.MIN_LENGTH, SecretSpec.MAX_LENGTH)
                                .orElse(SecretSpec.DEFAULT_LENGTH);
                        if (v.entries().containsKey("length") && !generate) {
                            in.error(v.get("length").orElseThrow(), Binder.child(p, "length"),
                                    "a length applies to a generated secret only; add generate: true");
                        }
                        secrets.add(new SecretSpec(name, generate, length));
                    });
                }));
        return secrets;
    }

    private Optional<Service> service(String name, YamlNode node, String path) {
        Optional<Mapping> found = in.mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = found.get();
        in.record(path, m.position());
        in.allowOnly(m, path, SERVICE_KEYS);
        Optional<Autoscaling> autoscaling = in.value(m, "replicas", path)
                .filter(n -> n instanceof Mapping)
                .flatMap(n -> autoscaling((Mapping) n, Binder.child(path, "replicas")));
        int replicas = autoscaling.map(Autoscaling::min).orElseGet(() -> in.value(m, "replicas", path)
                .filter(n -> !(n instanceof Mapping))
                .flatMap(n -> in.integer(n, Binder.child(path, "replicas"), 1, Service.MAX_REPLICAS)).orElse(1));
        Optional<String> hostname = in.string(m, "hostname", path).map(h -> h.endsWith(".") ? h.substring(0, h.length() - 1) : h);
        boolean redirectHttp = in.bool(m, "redirect_http", path).orElse(true);
        boolean isPublic = in.bool(m, "public", path).orElse(false);
        String instanceType = in.string(m, "instance_type", path).orElse(Service.DEFAULT_INSTANCE_TYPE);
        Resources resources = in.value(m, "resources", path).flatMap(n -> resources(n, Binder.child(path, "resources")))
                .orElse(Resources.DEFAULT);
        List<String> uses = in.stringList(m, "uses", path);
        List<Volume> volumes = volumes(m, path);
        List<Container> containers = new ArrayList<>();
        Optional<YamlNode> containersNode = in.value(m, "containers", path);
        if (containersNode.isEmpty()) {
            in.error(m.position(), Binder.child(path, "containers"), "missing; a pod needs at least one container");
        }
        containersNode.flatMap(n -> in.mapping(n, Binder.child(path, "containers"))).ifPresent(map -> {
            if (map.entries().isEmpty()) {
                in.error(map, Binder.child(path, "containers"), "empty pod; expected at least one container");
            }
            map.entries().forEach((containerName, c) -> {
                String cpath = path + ".containers." + containerName;
                in.record(cpath, map.keyPosition(containerName));
                container(containerName, c, cpath).ifPresent(containers::add);
            });
        });
        List<Port> ports = containers.stream().flatMap(c -> c.ports().stream()).toList();
        Optional<Health> health = in.value(m, "health", path)
                .flatMap(n -> health(n, Binder.child(path, "health"), ports))
                .or(() -> Health.defaultFor(ports));
        return Optional.of(new Service(name, replicas, isPublic, instanceType, resources, health, containers, uses, volumes,
                hostname, redirectHttp, autoscaling));
    }

    /** {@code replicas: {min: 2, max: 10, cpu: 60}} or {@code {min, max, requests_per_target: 500}}. */
    private Optional<Autoscaling> autoscaling(Mapping m, String path) {
        in.allowOnly(m, path, SCALING_KEYS);
        Optional<Integer> min = in.integer(m, "min", path, 1, Service.MAX_REPLICAS);
        Optional<Integer> max = in.integer(m, "max", path, 1, Service.MAX_REPLICAS);
        Optional<Integer> cpu = in.integer(m, "cpu", path, 1, 100);
        Optional<Integer> requests = in.integer(m, "requests_per_target", path, 1, 1_000_000);
        boolean complete = true;
        for (String key : List.of("min", "max")) {
            if (!m.entries().containsKey(key)) {
                in.error(m, Binder.child(path, key), "missing; autoscaling needs min and max replicas");
                complete = false;
            }
        }
        boolean hasCpu = m.entries().containsKey("cpu");
        boolean hasRequests = m.entries().containsKey("requests_per_target");
        if (hasCpu == hasRequests) {
            in.error(m, path, hasCpu ? "set one target, cpu or requests_per_target, not both"
                    : "missing a target: cpu (average CPU percent) or requests_per_target (requests per replica per minute)");
            complete = false;
        }
        if (min.isPresent() && max.isPresent() && min.get() > max.get()) {
            in.error(m.get("min").orElseThrow(), Binder.child(path, "min"), "min (" + min.get() + ") is more than max ("
                    + max.get() + ")");
            complete = false;
        }
        if (!complete || min.isEmpty() || max.isEmpty() || (cpu.isEmpty() && requests.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new Autoscaling(min.get(), max.get(), cpu, requests));
    }

    private List<Volume> volumes(Mapping service, String path) {
        List<Volume> volumes = new ArrayList<>();
        String vpath = Binder.child(path, "volumes");
        in.value(service, "volumes", path).flatMap(n -> in.mapping(n, vpath)).ifPresent(map ->
                map.entries().forEach((name, node) -> {
                    String p = Binder.child(vpath, name);
                    in.record(p, map.keyPosition(name));
                    in.mapping(node, p).ifPresent(v -> {
                        in.allowOnly(v, p, VOLUME_KEYS);
                        Optional<YamlNode> size = in.value(v, "size", p);
                        if (size.isEmpty()) {
                            in.error(v, Binder.child(p, "size"), "missing; expected a size such as 1GiB");
                            return;
                        }
                        values.bytes(size.get(), Binder.child(p, "size"), Volume.MIN_SIZE, Volume.MAX_SIZE)
                                .ifPresent(bytes -> volumes.add(new Volume(name, bytes)));
                    });
                }));
        return volumes;
    }

    private List<Mount> mounts(Mapping container, String path) {
        List<Mount> mounts = new ArrayList<>();
        String mpath = Binder.child(path, "mounts");
        List<String> texts = in.stringList(container, "mounts", path);
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            String[] parts = text.split(":", -1);
            boolean ro = parts.length == 3 && parts[2].equals("ro");
            if (parts.length < 2 || parts.length > 3 || (parts.length == 3 && !ro && !parts[2].equals("rw"))
                    || parts[0].isEmpty() || !parts[1].startsWith("/")) {
                in.error(in.sources().at(Binder.item(mpath, i)), Binder.item(mpath, i),
                        "expected VOLUME:/container/path[:ro], found \"" + text + "\"");
                continue;
            }
            mounts.add(new Mount(parts[0], parts[1], ro));
        }
        return mounts;
    }

    private Optional<Resources> resources(YamlNode node, String path) {
        return in.mapping(node, path).map(m -> {
            in.allowOnly(m, path, RESOURCE_KEYS);
            int memory = values.memoryMiB(m, "memory", path, Resources.MIN_MEMORY_MIB, Resources.MAX_MEMORY_MIB)
                    .orElse(Resources.DEFAULT.memoryMiB());
            int cpus = in.integer(m, "cpus", path, 1, Resources.MAX_CPUS).orElse(Resources.DEFAULT.cpus());
            return new Resources(memory, cpus);
        });
    }

    private Optional<Health> health(YamlNode node, String path, List<Port> ports) {
        return in.mapping(node, path).flatMap(m -> {
            in.allowOnly(m, path, HEALTH_KEYS);
            Optional<Health> defaults = Health.defaultFor(ports);
            Health.Kind kind = in.string(m, "protocol", path).flatMap(p -> switch (p) {
                case "http" -> Optional.of(Health.Kind.HTTP);
                case "tcp" -> Optional.of(Health.Kind.TCP);
                default -> {
                    in.error(m.get("protocol").orElseThrow(), Binder.child(path, "protocol"),
                            "unknown health check protocol \"" + p + "\"; expected http or tcp");
                    yield Optional.<Health.Kind>empty();
                }
            }).orElse(defaults.map(Health::protocol).orElse(Health.Kind.TCP));
            Optional<Integer> port = in.integer(m, "port", path, 1, 65535).or(() -> defaults.map(Health::port));
            if (port.isEmpty()) {
                if (!m.entries().containsKey("port")) {
                    in.error(m, Binder.child(path, "port"), "missing; the service exposes no tcp port to check by default");
                }
                return Optional.empty();
            }
            String checkPath = in.string(m, "path", path).orElse(kind == Health.Kind.HTTP ? "/" : null);
            if (checkPath != null && kind == Health.Kind.HTTP && !checkPath.startsWith("/")) {
                in.error(m.get("path").orElseThrow(), Binder.child(path, "path"), "expected a path starting with /");
            }
            if (checkPath != null && kind == Health.Kind.TCP && m.entries().containsKey("path")) {
                in.error(m.get("path").orElseThrow(), Binder.child(path, "path"), "a path applies to http checks only");
            }
            Duration interval = values.duration(m, "interval", path, Duration.ofSeconds(1), Duration.ofMinutes(5))
                    .orElse(Health.DEFAULT_INTERVAL);
            // A short interval without a timeout gets half the interval, so a check never outlives its period.
            Duration timeout = values.duration(m, "timeout", path, Duration.ofMillis(100), Duration.ofMinutes(2))
                    .orElse(interval.compareTo(Health.DEFAULT_TIMEOUT) > 0 ? Health.DEFAULT_TIMEOUT : interval.dividedBy(2));
            if (timeout.compareTo(interval) >= 0 && m.entries().containsKey("timeout")) {
                in.error(m.get("timeout").orElseThrow(), Binder.child(path, "timeout"),
                        "the timeout must be shorter than the interval (" + Durations.format(interval) + ")");
            }
            int healthy = in.integer(m, "healthy_threshold", path, 1, 10).orElse(Health.DEFAULT_HEALTHY);
            int unhealthy = in.integer(m, "unhealthy_threshold", path, 1, 10).orElse(Health.DEFAULT_UNHEALTHY);
            Duration grace = values.duration(m, "grace_period", path, Duration.ZERO, Duration.ofHours(2))
                    .orElse(Health.DEFAULT_GRACE);
            return Optional.of(new Health(kind, port.get(), checkPath, interval, timeout, healthy, unhealthy, grace));
        });
    }

    private Optional<Container> container(String name, YamlNode node, String path) {
        Optional<Mapping> found = in.mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = found.get();
        in.allowOnly(m, path, CONTAINER_KEYS);
        String imageText = in.required(m, "image", path, "an image reference such as redis:7 or oci:images/web");
        ImageReference image = imageText == null ? null : image(imageText, m.get("image").orElseThrow(), Binder.child(path, "image"));
        List<Port> ports = ports(m, path);
        Container c = new Container(name, image, values.command(m, "entrypoint", path), values.command(m, "command", path),
                values.environment(m, "environment", path), ports, in.stringList(m, "capabilities", path),
                in.stringList(m, "cap_drop", path), in.stringList(m, "binds", path),
                in.bool(m, "readonly", path).orElse(false), in.string(m, "user", path),
                in.string(m, "working_dir", path), mounts(m, path), in.stringMap(m, "secrets", path));
        return image == null ? Optional.empty() : Optional.of(c);
    }

    ImageReference image(String text, YamlNode at, String path) {
        ImageReference.Result parsed = ImageReference.parse(text);
        if (parsed.reference().isEmpty()) {
            in.error(at, path, "malformed image reference \"" + text + "\": " + parsed.error());
            return null;
        }
        return parsed.reference().get();
    }

    private List<Port> ports(Mapping m, String path) {
        List<Port> ports = new ArrayList<>();
        in.value(m, "ports", path).ifPresent(n -> {
            String p = Binder.child(path, "ports");
            if (!(n instanceof Sequence seq)) {
                in.error(n, p, "expected a list of ports such as [80, \"https:443:http:80\"], found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                port(seq.items().get(i), Binder.item(p, i)).ifPresent(ports::add);
            }
        });
        return ports;
    }

    Optional<Port> port(YamlNode node, String path) {
        in.record(path, node);
        if (!(node instanceof Scalar s) || s.isNull()) {
            in.error(node, path, "expected a port such as 80 or \"https:443:http:80\", found " + Binder.describe(node));
            return Optional.empty();
        }
        return port(s.value(), node, path);
    }

    /** Parses and checks {@code text} in i2kit's port syntax; problems are reported at {@code node}. */
    Optional<Port> port(String text, YamlNode node, String path) {
        Port.Parsed parsed = Port.parse(text);
        if (parsed.port().isEmpty()) {
            in.error(node, path, "invalid port \"" + text + "\": " + parsed.error());
            return Optional.empty();
        }
        Port port = parsed.port().get();
        for (int number : new int[] {port.lbPort(), port.instancePort()}) {
            if (number < 1 || number > 65535) {
                in.error(node, path, "port " + number + " is out of range; expected 1 to 65535");
                return Optional.empty();
            }
        }
        if (!compatible(port.lbProtocol(), port.instanceProtocol())) {
            in.error(node, path, "a " + port.lbProtocol().lower() + " load balancer cannot forward to "
                    + port.instanceProtocol().lower() + "; expected " + expectedInstance(port.lbProtocol()));
            return Optional.empty();
        }
        return Optional.of(port);
    }

    private static boolean compatible(Protocol lb, Protocol instance) {
        return switch (lb) {
            case HTTP, HTTPS -> instance.isHttpFamily();
            case TCP -> instance == Protocol.TCP;
            case TLS -> instance == Protocol.TCP || instance == Protocol.TLS;
            case UDP -> instance == Protocol.UDP;
        };
    }

    private static String expectedInstance(Protocol lb) {
        return switch (lb) {
            case HTTP, HTTPS -> "http or https";
            case TCP -> "tcp";
            case TLS -> "tcp or tls";
            case UDP -> "udp";
        };
    }
}
