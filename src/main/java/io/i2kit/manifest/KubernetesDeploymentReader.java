package io.i2kit.manifest;

import io.i2kit.oci.ImageReference;
import io.i2kit.manifest.Placeholder;
import io.i2kit.manifest.KubernetesSpec.ContainerPort;
import io.i2kit.manifest.KubernetesSpec.Deployment;
import io.i2kit.manifest.KubernetesSpec.Metadata;
import io.i2kit.manifest.KubernetesSpec.PodContainer;
import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads one apps/v1 Deployment: its name, replicas, pod labels and containers. Problems name the
 * Deployment's own paths ({@code spec.template.spec.containers[0].image}); the model's paths are
 * recorded in {@code model}'s source map.
 */
final class KubernetesDeploymentReader {
    static final Set<String> OBJECT_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
    static final Set<String> METADATA_KEYS = Set.of("name", "namespace", "labels");
    /** The selector only restates the template's labels, which Services are matched against. */
    static final Set<String> SPEC_KEYS = Set.of("replicas", "selector", "template");
    static final Set<String> TEMPLATE_KEYS = Set.of("metadata", "spec");
    static final Set<String> POD_KEYS = Set.of("containers", "volumes");
    static final Set<String> VOLUME_MOUNT_KEYS = Set.of("name", "mountPath", "readOnly");
    static final Set<String> SECRET_REF_KEYS = Set.of("name", "key");
    static final Set<String> PROBES = Set.of("livenessProbe", "readinessProbe", "startupProbe");
    static final Set<String> CONTAINER_KEYS = Set.of("name", "image", "command", "args", "env", "ports", "workingDir",
            "securityContext", "livenessProbe", "readinessProbe", "startupProbe", "volumeMounts");
    static final Set<String> ENV_KEYS = Set.of("name", "value", "valueFrom");
    static final Set<String> PORT_KEYS = Set.of("containerPort", "protocol", "name");
    static final Set<String> SECURITY_KEYS = Set.of("capabilities", "readOnlyRootFilesystem", "runAsUser", "runAsGroup");
    static final Set<String> CAPABILITY_KEYS = Set.of("add", "drop");
    private static final String POD = "spec.template.spec";

    private final Binder in;
    private final Binder model;
    private final I2kitReader i2kit;
    private final java.nio.file.Path file;
    /** The pod's volumes by name. */
    private final Map<String, PodVolume> podVolumes = new LinkedHashMap<>();
    private final Map<String, KubernetesSpec.Claim> claims = new LinkedHashMap<>();

    /** {@code in} is this document's own binder; {@code model} records the model's paths. */
    KubernetesDeploymentReader(Binder in, Binder model, java.nio.file.Path file) {
        this.in = in;
        this.model = model;
        this.i2kit = new I2kitReader(in);
        this.file = file;
    }

    Optional<Deployment> read(Mapping document) {
        in.warnUnsupported(document, "", OBJECT_KEYS, KubernetesSpec.UNSUPPORTED);
        Optional<Metadata> metadata = Metadata.read(in, document, METADATA_KEYS);
        Optional<Mapping> spec = in.value(document, "spec", "").flatMap(n -> in.mapping(n, "spec"));
        if (metadata.isEmpty()) {
            return Optional.empty();
        }
        String path = "services." + metadata.get().name();
        model.record(path, metadata.get().position());
        if (spec.isEmpty()) {
            in.error(document.position(), "spec", "missing; a Deployment needs spec.template.spec.containers");
            return Optional.empty();
        }
        in.warnUnsupported(spec.get(), "spec", SPEC_KEYS, KubernetesSpec.UNSUPPORTED);
        spec.get().get("replicas").ifPresent(n -> model.record(path + ".replicas", n));
        int replicas = in.integer(spec.get(), "replicas", "spec", 1, Service.MAX_REPLICAS).orElse(1);
        Map<String, String> podLabels = new LinkedHashMap<>();
        Optional<Mapping> pod = template(spec.get(), podLabels);
        List<PodContainer> containers = pod.map(p -> containers(p, path)).orElse(List.of());
        podVolumes.forEach((name, volume) -> {
            if (volume.claim().isPresent() && !claims.containsKey(name)) {
                in.warning(volume.node().position(), volume.path(), "volume " + name + " is mounted by no "
                        + "container; ignored");
            }
        });
        return Optional.of(new Deployment(metadata.get(), podLabels, replicas, containers, List.copyOf(claims.values())));
    }

    /** The pod spec, after collecting the pod's labels into {@code podLabels}. */
    private Optional<Mapping> template(Mapping spec, Map<String, String> podLabels) {
        Optional<YamlNode> node = in.value(spec, "template", "spec");
        if (node.isEmpty()) {
            in.error(spec.position(), "spec.template", "missing; a Deployment needs a pod template with containers");
            return Optional.empty();
        }
        return in.mapping(node.get(), "spec.template").flatMap(template -> {
            in.warnUnsupported(template, "spec.template", TEMPLATE_KEYS, KubernetesSpec.UNSUPPORTED);
            in.value(template, "metadata", "spec.template").flatMap(n -> in.mapping(n, "spec.template.metadata"))
                    .ifPresent(m -> {
                        in.warnUnsupported(m, "spec.template.metadata", Set.of("labels"), KubernetesSpec.UNSUPPORTED);
                        Metadata.labels(in, m, "spec.template.metadata", podLabels, new LinkedHashMap<>());
                    });
            Optional<YamlNode> pod = in.value(template, "spec", "spec.template");
            if (pod.isEmpty()) {
                in.error(template.position(), POD, "missing; a Deployment needs at least one container");
            }
            return pod.flatMap(n -> in.mapping(n, POD));
        });
    }

    private List<PodContainer> containers(Mapping pod, String path) {
        in.warnUnsupported(pod, POD, POD_KEYS, KubernetesSpec.UNSUPPORTED);
        volumes(pod);
        String listPath = POD + ".containers";
        Optional<YamlNode> node = in.value(pod, "containers", POD);
        if (node.isEmpty()) {
            in.error(pod.position(), listPath, "missing; a Deployment needs at least one container");
            return List.of();
        }
        if (!(node.get() instanceof Sequence seq)) {
            in.error(node.get(), listPath, "expected a list of containers, found " + Binder.describe(node.get()));
            return List.of();
        }
        if (seq.items().isEmpty()) {
            in.error(seq, listPath, "expected at least one container");
        }
        List<PodContainer> containers = new ArrayList<>();
        for (int i = 0; i < seq.items().size(); i++) {
            container(seq.items().get(i), Binder.item(listPath, i), path).ifPresent(containers::add);
        }
        return containers;
    }

    private Optional<PodContainer> container(YamlNode node, String path, String servicePath) {
        Optional<Mapping> found = in.mapping(node, path);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Mapping m = found.get();
        in.warnUnsupported(m, path, CONTAINER_KEYS, KubernetesSpec.UNSUPPORTED);
        for (String probe : PROBES) {
            if (m.get(probe).filter(v -> !Binder.isEmpty(v)).isPresent()) {
                in.warning(m.keyPosition(probe), Binder.child(path, probe), "not supported; the load balancer checks "
                        + "the service's first port instead (an HTTP GET / for http ports, a TCP connection otherwise)");
            }
        }
        String name = in.required(m, "name", path, "the container's name");
        String imageText = in.required(m, "image", path, "an image reference such as redis:7");
        if (name == null) {
            return Optional.empty();
        }
        String cpath = servicePath + ".containers." + name;
        model.record(cpath, m);
        ImageReference image = imageText == null ? null
                : i2kit.image(imageText, m.get("image").orElseThrow(), Binder.child(path, "image"));
        List<ContainerPort> ports = ports(m, path);
        Security security = security(m, path);
        Container c = new Container(name, image, in.stringList(m, "command", path), in.stringList(m, "args", path),
                environment(m, path, cpath), List.of(), security.add(), security.drop(), List.of(), security.readonly(),
                security.user(), in.string(m, "workingDir", path), mounts(m, path, servicePath, cpath), secrets(m, path, cpath));
        Map.of("image", "image", "command", "entrypoint", "args", "command", "workingDir", "working_dir",
                "securityContext.capabilities.add", "capabilities", "securityContext.capabilities.drop", "cap_drop",
                "securityContext.readOnlyRootFilesystem", "readonly", "securityContext.runAsUser", "user")
                .forEach((key, modelKey) -> model.sources().copy(in.sources(), Binder.child(path, key), Binder.child(cpath, modelKey)));
        return image == null ? Optional.empty() : Optional.of(new PodContainer(c, ports));
    }

    /**
     * {@code env[].value}s. Kubernetes keeps {@code ${...}} literally, so every {@code ${} that is not
     * an i2kit placeholder is escaped to i2kit's {@code $${}.
     */
    private Map<String, String> environment(Mapping m, String path, String cpath) {
        Map<String, String> env = new LinkedHashMap<>();
        String epath = Binder.child(path, "env");
        in.value(m, "env", path).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, epath, "expected a list of {name, value}, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                String ipath = Binder.item(epath, i);
                in.mapping(seq.items().get(i), ipath).ifPresent(item -> {
                    in.warnUnsupported(item, ipath, ENV_KEYS, KubernetesSpec.UNSUPPORTED);
                    String name = in.required(item, "name", ipath, "the variable's name");
                    if (name == null) {
                        return;
                    }
                    model.record(cpath + ".environment." + name, item);
                    if (secretRef(item, ipath).isPresent()) {
                        return;
                    }
                    if (item.get("valueFrom").isPresent()) {
                        in.warning(item.keyPosition("valueFrom"), Binder.child(ipath, "valueFrom"), "not supported "
                                + "(of valueFrom, i2kit maps secretKeyRef only); " + name + " is left out");
                        return;
                    }
                    String value = in.string(item, "value", ipath).orElse("");
                    if (value.contains("$(")) {
                        in.warning(item.keyPosition("value"), Binder.child(ipath, "value"), "$(VAR) references are "
                                + "not expanded by i2kit; the value is passed as written");
                    }
                    env.put(name, escapeLiteralBraces(value));
                });
            }
        });
        return env;
    }

    /** {@code valueFrom.secretKeyRef}, the one {@code valueFrom} i2kit maps: to the secret NAME-KEY. */
    private Optional<Mapping> secretRef(Mapping envItem, String ipath) {
        return envItem.get("valueFrom").filter(Mapping.class::isInstance).map(Mapping.class::cast)
                .flatMap(v -> v.get("secretKeyRef")).filter(Mapping.class::isInstance).map(Mapping.class::cast)
                .filter(ref -> v(ref, "name").isPresent() && v(ref, "key").isPresent());
    }

    private static Optional<String> v(Mapping m, String key) {
        return m.get(key).filter(YamlNode.Scalar.class::isInstance).map(n -> ((YamlNode.Scalar) n).value());
    }

    private Map<String, String> secrets(Mapping container, String path, String cpath) {
        Map<String, String> secrets = new LinkedHashMap<>();
        String epath = Binder.child(path, "env");
        if (!(container.get("env").orElse(null) instanceof Sequence seq)) {
            return secrets;
        }
        for (int i = 0; i < seq.items().size(); i++) {
            if (!(seq.items().get(i) instanceof Mapping item)) {
                continue;
            }
            String ipath = Binder.item(epath, i);
            Optional<String> variable = v(item, "name");
            secretRef(item, ipath).ifPresent(ref -> variable.ifPresent(name -> {
                String rpath = Binder.child(ipath, "valueFrom.secretKeyRef");
                in.warnUnsupported(ref, rpath, SECRET_REF_KEYS, KubernetesSpec.UNSUPPORTED);
                String secret = SecretName.from(v(ref, "name").orElseThrow() + "-" + v(ref, "key").orElseThrow());
                model.record(cpath + ".secrets." + name, item);
                secrets.put(name, secret);
                in.warning(item.keyPosition("valueFrom"), Binder.child(ipath, "valueFrom"), "key " + v(ref, "key").get()
                        + " of Secret " + v(ref, "name").get() + " becomes the i2kit secret " + secret + ", in " + name
                        + " and " + Container.SECRETS_PATH + "/" + secret
                        + "; i2kit does not read Secret objects: set it with `i2kit secret set -f " + file + " "
                        + secret + "` (the value on stdin)");
            }));
        }
        return secrets;
    }

    /** A volume of the pod: the claim's name for a persistentVolumeClaim, else empty; where it is written. */
    private record PodVolume(Optional<String> claim, Mapping node, String path) {
    }

    /**
     * The pod's {@code volumes}: a persistentVolumeClaim can become a volume of the service; the
     * other kinds have no counterpart that outlives the VM and are warned about.
     */
    private void volumes(Mapping pod) {
        String vpath = POD + ".volumes";
        in.value(pod, "volumes", POD).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, vpath, "expected a list of volumes, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                String ipath = Binder.item(vpath, i);
                in.mapping(seq.items().get(i), ipath).ifPresent(v -> {
                    String name = in.required(v, "name", ipath, "the volume's name");
                    if (name == null) {
                        return;
                    }
                    Optional<Mapping> pvc = v.get("persistentVolumeClaim").filter(Mapping.class::isInstance).map(Mapping.class::cast);
                    if (pvc.isPresent()) {
                        String claim = in.required(pvc.get(), "claimName", Binder.child(ipath, "persistentVolumeClaim"),
                                "the claim's name");
                        podVolumes.put(name, new PodVolume(Optional.ofNullable(claim), v, ipath));
                        return;
                    }
                    podVolumes.put(name, new PodVolume(Optional.empty(), v, ipath));
                    String kind = v.entries().keySet().stream().filter(k -> !k.equals("name")).findFirst().orElse("no source");
                    in.warning(v.position(), ipath, "volume " + name + " (" + kind + ") is not supported: only a "
                            + "persistentVolumeClaim becomes an i2kit volume; what the containers write there stays in "
                            + "their own filesystem and is lost when the VM is replaced");
                });
            }
        });
    }

    private List<Mount> mounts(Mapping container, String path, String servicePath, String cpath) {
        List<Mount> mounts = new ArrayList<>();
        String mpath = Binder.child(path, "volumeMounts");
        in.value(container, "volumeMounts", path).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, mpath, "expected a list of {name, mountPath}, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                String ipath = Binder.item(mpath, i);
                YamlNode node = seq.items().get(i);
                in.mapping(node, ipath).ifPresent(m -> {
                    in.warnUnsupported(m, ipath, VOLUME_MOUNT_KEYS, KubernetesSpec.UNSUPPORTED);
                    String name = in.required(m, "name", ipath, "the pod volume's name");
                    String target = in.required(m, "mountPath", ipath, "the path in the container");
                    boolean readOnly = in.bool(m, "readOnly", ipath).orElse(false);
                    if (name == null || target == null) {
                        return;
                    }
                    if (!podVolumes.containsKey(name)) {
                        in.error(m.get("name").orElseThrow(), Binder.child(ipath, "name"), "no volume named \"" + name
                                + "\" in the pod's volumes" + io.i2kit.yaml.Suggestions.closest(name, podVolumes.keySet())
                                .map(v -> "; did you mean \"" + v + "\"?").orElse(""));
                        return;
                    }
                    PodVolume volume = podVolumes.get(name);
                    if (volume.claim().isEmpty()) {
                        return; // warned about at the pod's volume
                    }
                    Optional<String> label = DnsLabel.from(name);
                    if (label.isEmpty()) {
                        in.error(m.get("name").orElseThrow(), Binder.child(ipath, "name"), "volume \"" + name
                                + "\" gives no usable volume name");
                        return;
                    }
                    claims.computeIfAbsent(name, k -> {
                        model.record(servicePath + ".volumes." + label.get(), volume.node());
                        return new KubernetesSpec.Claim(label.get(), volume.claim().get(), volume.node(), volume.path());
                    });
                    model.record(cpath + ".mounts[" + mounts.size() + "]", m);
                    mounts.add(new Mount(label.get(), target, readOnly));
                });
            }
        });
        return mounts;
    }

    static String escapeLiteralBraces(String value) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < value.length()) {
            int open = value.indexOf("${", i);
            if (open < 0) {
                break;
            }
            out.append(value, i, open);
            int close = value.indexOf('}', open);
            List<Placeholder.Part> parts = close < 0 ? List.of() : Placeholder.parse(value.substring(open, close + 1));
            if (parts.size() == 1 && parts.get(0) instanceof Placeholder.Ref) {
                out.append(value, open, close + 1);
                i = close + 1;
            } else {
                out.append("$${");
                i = open + 2;
            }
        }
        return out.append(value.substring(i)).toString();
    }

    private List<ContainerPort> ports(Mapping m, String path) {
        List<ContainerPort> ports = new ArrayList<>();
        String ppath = Binder.child(path, "ports");
        in.value(m, "ports", path).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, ppath, "expected a list of {containerPort, protocol, name}, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                String ipath = Binder.item(ppath, i);
                YamlNode item = seq.items().get(i);
                in.mapping(item, ipath).ifPresent(p -> {
                    in.warnUnsupported(p, ipath, PORT_KEYS, KubernetesSpec.UNSUPPORTED);
                    if (p.get("containerPort").isEmpty()) {
                        in.error(p.position(), Binder.child(ipath, "containerPort"), "missing; expected the port number");
                    }
                    Optional<Integer> number = in.integer(p, "containerPort", ipath, 1, 65535);
                    Optional<Boolean> udp = KubernetesServiceReader.protocol(in, p, ipath);
                    if (number.isPresent() && udp.isPresent()) {
                        ports.add(new ContainerPort(number.get(), udp.get(), in.string(p, "name", ipath), item, ipath));
                    }
                });
            }
        });
        return ports;
    }

    private record Security(List<String> add, List<String> drop, boolean readonly, Optional<String> user) {
        static final Security NONE = new Security(List.of(), List.of(), false, Optional.empty());
    }

    private Security security(Mapping container, String path) {
        String spath = Binder.child(path, "securityContext");
        return in.value(container, "securityContext", path).flatMap(n -> in.mapping(n, spath)).map(sc -> {
            in.warnUnsupported(sc, spath, SECURITY_KEYS, KubernetesSpec.UNSUPPORTED);
            String cpath = Binder.child(spath, "capabilities");
            Optional<Mapping> caps = in.value(sc, "capabilities", spath).flatMap(n -> in.mapping(n, cpath));
            caps.ifPresent(c -> in.warnUnsupported(c, cpath, CAPABILITY_KEYS, KubernetesSpec.UNSUPPORTED));
            Optional<Integer> uid = in.integer(sc, "runAsUser", spath, 0, Integer.MAX_VALUE);
            Optional<Integer> gid = in.integer(sc, "runAsGroup", spath, 0, Integer.MAX_VALUE);
            if (gid.isPresent() && !sc.entries().containsKey("runAsUser")) {
                in.warning(sc.keyPosition("runAsGroup"), Binder.child(spath, "runAsGroup"),
                        "ignored without runAsUser: i2kit sets the user and the group together");
            }
            return new Security(caps.map(c -> in.stringList(c, "add", cpath)).orElse(List.of()),
                    caps.map(c -> in.stringList(c, "drop", cpath)).orElse(List.of()),
                    in.bool(sc, "readOnlyRootFilesystem", spath).orElse(false),
                    uid.map(u -> u + gid.map(g -> ":" + g).orElse("")));
        }).orElse(Security.NONE);
    }
}
