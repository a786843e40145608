package io.i2kit.manifest;

import io.i2kit.oci.ImageReference;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Normalises a compose file into the model: each compose service becomes an i2kit service whose pod
 * holds one container of the same name. Fields i2kit cannot honour are warned about one by one;
 * what cannot work is an error. Problems name the compose file's own paths; the positions of the
 * model's paths are recorded for the checks made later on the model.
 */
final class ComposeImporter {
    static final String UNSUPPORTED = "not supported by i2kit's compose importer";
    static final Set<String> TOP_KEYS = Set.of("name", "services", "version", "volumes", "secrets");
    /** Compose says nothing of a named volume's size. */
    static final long DEFAULT_VOLUME_BYTES = Volume.GIB;
    static final String DEFAULT_VOLUME_SIZE = "1GiB";
    static final Set<String> SERVICE_KEYS = Set.of("image", "build", "command", "entrypoint", "environment", "ports",
            "expose", "deploy", "cap_add", "cap_drop", "volumes", "read_only", "user", "working_dir", "depends_on",
            "links", "healthcheck", "secrets");
    /** Read but not deployed: each gets its own warning rather than the generic one. */
    private static final Set<String> EXPLAINED_KEYS = Set.of("build", "depends_on", "links", "healthcheck", "secrets");
    private static final Set<String> DEPLOY_KEYS = Set.of("replicas");
    /** Compose path under a service → the model's path under its container, for positions. */
    private static final Map<String, String> MODEL_KEYS = Map.of("image", "image", "entrypoint", "entrypoint",
            "command", "command", "cap_add", "capabilities", "cap_drop", "cap_drop", "read_only", "readonly",
            "user", "user", "working_dir", "working_dir");

    private final Binder model;
    private final Binder in;
    private final Path file;
    private final ComposeVariables variables;
    private final I2kitReader i2kit;
    private final ValueReader values;
    private Set<String> declaredVolumes = Set.of();
    private Set<String> declaredSecrets = Set.of();
    /** Compose volume name to the services that mount it, to say that i2kit does not share it. */
    private final Map<String, List<String>> volumeUsers = new LinkedHashMap<>();

    ComposeImporter(Binder binder, Path file) {
        this.model = binder;
        this.in = binder.scratch();
        this.file = file;
        this.variables = new ComposeVariables(in);
        this.i2kit = new I2kitReader(in);
        this.values = new ValueReader(in);
    }

    /** Reads the first document; compose files hold one. */
    Optional<Application> read(List<YamlNode> documents) {
        for (YamlNode extra : documents.subList(1, documents.size())) {
            in.warning(extra.position(), "", "a compose file holds one YAML document; this one is ignored");
        }
        Optional<Mapping> root = in.mapping(documents.get(0), "");
        if (root.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = root.get();
        model.record("", m);
        in.warnUnsupported(m, "", TOP_KEYS, UNSUPPORTED);
        Optional<String> name = name(m);
        declaredVolumes = declared(m, "volumes", "volume");
        declaredSecrets = declared(m, "secrets", "secret");
        List<Service> services = new ArrayList<>();
        in.value(m, "services", "").flatMap(n -> in.mapping(n, "services")).ifPresent(map ->
                map.entries().forEach((serviceName, node) -> {
                    String path = "services." + serviceName;
                    model.record(path, map.keyPosition(serviceName));
                    model.record(path + ".containers." + serviceName, map.keyPosition(serviceName));
                    service(serviceName, node, path).ifPresent(services::add);
                }));
        volumeUsers.forEach((volume, users) -> {
            if (users.size() > 1) {
                in.warning(m.get("volumes").map(v -> ((Mapping) v).keyPosition(volume)).orElse(m.position()),
                        "volumes." + volume, "services " + String.join(" and ", users) + " share named volume " + volume
                                + " in compose; in i2kit each replica of each service has a volume of its own, so "
                                + "they do not see each other's files");
            }
        });
        List<String> names = services.stream().map(Service::name).toList();
        List<Service> using = services.stream().map(s -> ComposeUsesReader.withNamedHosts(model, s, names)).toList();
        return name.map(n -> new Application(n, Application.DEFAULT_DOMAIN, PackageProfile.OFFLINE, DiscoveryScope.USED, using, List.of()));
    }

    /** The top-level name, else the directory's, as compose names a project; made a DNS label. */
    private Optional<String> name(Mapping m) {
        Optional<YamlNode> node = in.value(m, "name", "");
        if (node.isEmpty()) {
            String directory = DnsLabel.directoryName(file);
            Optional<String> label = DnsLabel.from(directory);
            if (label.isEmpty()) {
                in.error(m, "name", "the directory name \"" + directory + "\" gives no usable application name; "
                        + "set name: at the top of the file");
            }
            return label;
        }
        model.record("name", node.get());
        return variables.translate(node.get(), "name", false).flatMap(n -> in.string(n, "name")).flatMap(given -> {
            Optional<String> label = DnsLabel.from(given);
            if (label.isEmpty()) {
                in.error(node.get(), "name", "\"" + given + "\" gives no usable application name; expected lowercase "
                        + "letters, digits and hyphens, starting with a letter");
            } else if (!label.get().equals(given)) {
                in.warning(node.get().position(), "name", "the application is named \"" + label.get() + "\" (\"" + given
                        + "\" made a DNS label)");
            }
            return label;
        });
    }

    private Optional<Service> service(String name, YamlNode node, String path) {
        Optional<Mapping> found = in.mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        in.warnUnsupported(found.get(), path, SERVICE_KEYS, UNSUPPORTED);
        Mapping m = translated(found.get(), path);
        String cpath = path + ".containers." + name;
        ImageReference image = image(m, found.get(), path);
        ComposePortReader ports = new ComposePortReader(in, model, i2kit, path, cpath);
        ports.read(m);
        ComposeVolumeReader storage = new ComposeVolumeReader(in, model, path, cpath, declaredVolumes);
        storage.read(m);
        storage.volumes().values().forEach(v -> volumeUsers.computeIfAbsent(v, k -> new ArrayList<>()).add(name));
        Map<String, String> secrets = new ComposeSecretReader(in, model, path, cpath, declaredSecrets, file).read(m);
        Container c = new Container(name, image, values.command(m, "entrypoint", path), values.command(m, "command", path),
                environment(m, path, cpath), ports.ports(), in.stringList(m, "cap_add", path),
                in.stringList(m, "cap_drop", path), storage.binds(),
                in.bool(m, "read_only", path).orElse(false), in.string(m, "user", path), in.string(m, "working_dir", path),
                storage.mounts(), secrets);
        List<Volume> volumes = storage.volumes().keySet().stream().map(v -> new Volume(v, DEFAULT_VOLUME_BYTES)).toList();
        MODEL_KEYS.forEach((key, modelKey) -> model.sources().copy(in.sources(), Binder.child(path, key), Binder.child(cpath, modelKey)));
        int replicas = replicas(m, path);
        if (image == null) {
            return Optional.empty();
        }
        List<String> uses = new ComposeUsesReader(in, model, path).uses(m);
        return Optional.of(new Service(name, replicas, ports.isPublic(), Service.DEFAULT_INSTANCE_TYPE,
                Resources.DEFAULT, Health.defaultFor(c.ports()), List.of(c), uses, volumes));
    }

    /** The names under a top-level {@code volumes} or {@code secrets}; their settings are not used. */
    private Set<String> declared(Mapping root, String key, String what) {
        Set<String> names = new java.util.HashSet<>();
        in.value(root, key, "").flatMap(n -> in.mapping(n, key)).ifPresent(map -> map.entries().forEach((name, node) -> {
            names.add(name);
            if (node instanceof Mapping settings && !settings.entries().isEmpty()) {
                in.warning(map.keyPosition(name), Binder.child(key, name), "the settings of " + what + " " + name + " ("
                        + String.join(", ", settings.entries().keySet()) + ") are not used by i2kit"
                        + (what.equals("secret") ? "; its value is set with i2kit secret set" : ""));
            }
        }));
        return names;
    }

    /**
     * The service with compose's {@code $} syntax translated in every field that is used; see
     * {@link ComposeVariables#translate} for what is left out after an error.
     */
    private Mapping translated(Mapping m, String path) {
        Map<String, YamlNode> entries = new LinkedHashMap<>();
        m.entries().forEach((key, value) -> {
            if (!SERVICE_KEYS.contains(key) || EXPLAINED_KEYS.contains(key)) {
                entries.put(key, value);
                return;
            }
            variables.translate(value, Binder.child(path, key), key.equals("environment"))
                    .ifPresent(translated -> entries.put(key, translated));
        });
        return new Mapping(entries, m.keyPositions(), m.position());
    }

    /** {@code m} translated, {@code raw} as written: a refused image is reported, not missing. */
    private ImageReference image(Mapping m, Mapping raw, String path) {
        explain(m, path, "healthcheck", "not supported; the load balancer checks the service's first port instead "
                + "(an HTTP GET / for http ports, a TCP connection otherwise)");
        Optional<String> text = in.string(m, "image", path);
        if (text.isEmpty() && present(m, "build")) {
            in.error(m.keyPosition("build"), Binder.child(path, "build"),
                    "i2kit does not build images; build the image and reference it with image:");
            return null;
        }
        if (text.isEmpty()) {
            if (!present(raw, "image")) {
                in.error(m.position(), Binder.child(path, "image"), "missing; expected an image reference such as redis:7");
            }
            return null;
        }
        explain(m, path, "build", "ignored: i2kit does not build images; it deploys image: " + text.get());
        return i2kit.image(text.get(), m.get("image").orElseThrow(), Binder.child(path, "image"));
    }

    private void explain(Mapping m, String path, String key, String message) {
        if (present(m, key)) {
            in.warning(m.keyPosition(key), Binder.child(path, key), message);
        }
    }

    private static boolean present(Mapping m, String key) {
        return m.get(key).filter(v -> !Binder.isEmpty(v)).isPresent();
    }

    /** Environment as a map or a list of KEY=VALUE; a variable without a value would come from the host. */
    private Map<String, String> environment(Mapping m, String path, String cpath) {
        Map<String, String> env = new LinkedHashMap<>();
        String epath = Binder.child(path, "environment");
        in.value(m, "environment", path).ifPresent(n -> {
            if (n instanceof Mapping map) {
                map.entries().forEach((key, value) -> {
                    model.record(cpath + ".environment." + key, value);
                    if (value instanceof Scalar s && s.isNull()) {
                        hostVariable(value, Binder.child(epath, key), key);
                    } else {
                        in.string(value, Binder.child(epath, key)).ifPresent(v -> env.put(key, v));
                    }
                });
            } else if (n instanceof Sequence seq) {
                for (int i = 0; i < seq.items().size(); i++) {
                    YamlNode item = seq.items().get(i);
                    String ipath = Binder.item(epath, i);
                    in.string(item, ipath).ifPresent(entry -> {
                        int eq = entry.indexOf('=');
                        String key = eq < 0 ? entry : entry.substring(0, eq);
                        model.record(cpath + ".environment." + key, item);
                        if (eq < 0) {
                            hostVariable(item, ipath, key);
                        } else {
                            env.put(key, entry.substring(eq + 1));
                        }
                    });
                }
            } else {
                in.error(n, epath, "expected a map or a list of KEY=VALUE, found " + Binder.describe(n));
            }
        });
        return env;
    }

    private void hostVariable(YamlNode at, String path, String key) {
        in.error(at, path, key + " has no value; compose would take it from the environment of the machine running it, "
                + "which i2kit does not do: write the value");
    }

    private int replicas(Mapping m, String path) {
        String dpath = Binder.child(path, "deploy");
        return in.value(m, "deploy", path).flatMap(n -> in.mapping(n, dpath)).flatMap(deploy -> {
            in.warnUnsupported(deploy, dpath, DEPLOY_KEYS, UNSUPPORTED);
            deploy.get("replicas").ifPresent(r -> model.record(path + ".replicas", r));
            return in.integer(deploy, "replicas", dpath, 1, Service.MAX_REPLICAS);
        }).orElse(1);
    }
}
