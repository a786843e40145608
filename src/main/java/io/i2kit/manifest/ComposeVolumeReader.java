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
import java.util.Set;

/**
 * Reads a compose service's {@code volumes}: bind mounts of absolute paths of the VM become i2kit
 * binds, named volumes become volumes of the service and mounts. A VM holds no copy of the project
 * directory, so relative binds cannot work; anonymous volumes and tmpfs mounts have no i2kit
 * counterpart, so what is written there stays in the container and goes with the VM.
 */
final class ComposeVolumeReader {
    static final Set<String> LONG_KEYS = Set.of("type", "source", "target", "read_only");

    private final Binder in;
    private final Binder model;
    private final String path;
    private final String cpath;
    private final Set<String> declared;
    private final List<String> binds = new ArrayList<>();
    private final List<Mount> mounts = new ArrayList<>();
    /** Each named volume the service mounts, as an i2kit name, with the compose name it came from. */
    private final Map<String, String> volumes = new LinkedHashMap<>();

    /** {@code declared}: the names under the file's top-level {@code volumes}. */
    ComposeVolumeReader(Binder in, Binder model, String path, String cpath, Set<String> declared) {
        this.in = in;
        this.model = model;
        this.path = path;
        this.cpath = cpath;
        this.declared = declared;
    }

    List<String> binds() {
        return binds;
    }

    List<Mount> mounts() {
        return mounts;
    }

    /** i2kit volume name to compose volume name. */
    Map<String, String> volumes() {
        return volumes;
    }

    void read(Mapping service) {
        String vpath = Binder.child(path, "volumes");
        in.value(service, "volumes", path).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, vpath, "expected a list of volumes such as [\"/srv/data:/data\"], found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                String ipath = Binder.item(vpath, i);
                Optional<String> bind = item instanceof Mapping m ? longSyntax(m, ipath) : shortSyntax(item, ipath);
                bind.ifPresent(b -> {
                    model.record(cpath + ".binds[" + binds.size() + "]", item);
                    binds.add(b);
                });
            }
        });
    }

    /**
     * A named volume: compose shares one among every container that names it; i2kit gives each
     * replica of the service a disk of its own, of the size compose cannot say.
     */
    private Optional<String> named(String source, String target, boolean readOnly, YamlNode at, String ipath) {
        if (!declared.contains(source)) {
            in.error(at, ipath, "named volume \"" + source + "\" is not declared under the top-level volumes");
            return Optional.empty();
        }
        Optional<String> name = DnsLabel.from(source);
        if (name.isEmpty()) {
            in.error(at, ipath, "named volume \"" + source + "\" gives no usable volume name; rename it with letters first");
            return Optional.empty();
        }
        if (!target.startsWith("/")) {
            in.error(at, ipath, "expected an absolute path in the container, found \"" + target + "\"");
            return Optional.empty();
        }
        if (!volumes.containsKey(name.get())) {
            volumes.put(name.get(), source);
            model.record(path + ".volumes." + name.get(), at);
            in.warning(at.position(), ipath, "named volume " + source + " becomes volume " + name.get() + " of "
                    + "this service, " + ComposeImporter.DEFAULT_VOLUME_SIZE + " per replica (compose gives no size); "
                    + "write the size in an i2kit manifest to change it");
        }
        model.record(cpath + ".mounts[" + mounts.size() + "]", at);
        mounts.add(new Mount(name.get(), target, readOnly));
        return Optional.empty();
    }

    private Optional<String> shortSyntax(YamlNode item, String ipath) {
        if (!(item instanceof Scalar s) || s.isNull()) {
            in.error(item, ipath, "expected a volume such as \"/srv/data:/data:ro\", found " + Binder.describe(item));
            return Optional.empty();
        }
        String[] parts = s.value().split(":", -1);
        if (parts.length == 1) {
            in.warning(item.position(), ipath, "anonymous volume " + parts[0] + " is not supported; " + lost(parts[0]));
            return Optional.empty();
        }
        if (parts.length > 3) {
            in.error(item, ipath, "expected SOURCE:TARGET[:MODE], found \"" + s.value() + "\"");
            return Optional.empty();
        }
        boolean readOnly = false;
        if (parts.length == 3) {
            for (String option : parts[2].split(",")) {
                if (option.equals("ro") || option.equals("rw")) {
                    readOnly = option.equals("ro");
                } else {
                    in.warning(item.position(), ipath, "volume option \"" + option + "\" ignored; i2kit binds take ro or rw");
                }
            }
        }
        return bind(parts[0], parts[1], readOnly, item, ipath);
    }

    private Optional<String> longSyntax(Mapping m, String ipath) {
        in.warnUnsupported(m, ipath, LONG_KEYS, ComposeImporter.UNSUPPORTED);
        String type = in.string(m, "type", ipath).orElse("volume");
        String target = in.required(m, "target", ipath, "the path in the container");
        Optional<String> source = in.string(m, "source", ipath);
        boolean readOnly = in.bool(m, "read_only", ipath).orElse(false);
        if (target == null) {
            return Optional.empty();
        }
        if (type.equals("volume") && source.isPresent()) {
            return named(source.get(), target, readOnly, m, ipath);
        }
        if (!type.equals("bind")) {
            String what = type.equals("volume") ? "anonymous volume " + target : "a " + type + " mount";
            in.warning(m.position(), ipath, what + " is not supported; " + lost(target));
            return Optional.empty();
        }
        if (source.isEmpty()) {
            in.error(m.position(), Binder.child(ipath, "source"), "missing; expected the bind's path on the VM");
            return Optional.empty();
        }
        return bind(source.get(), target, readOnly, m, ipath);
    }

    private Optional<String> bind(String source, String target, boolean readOnly, YamlNode at, String ipath) {
        if (source.startsWith(".") || source.startsWith("~")) {
            in.error(at, ipath, "relative bind \"" + source + "\" cannot work: the VM holds no copy of the project "
                    + "directory; bind an absolute path of the VM, or build the files into the image");
            return Optional.empty();
        }
        if (!source.startsWith("/")) {
            return named(source, target, readOnly, at, ipath);
        }
        return Optional.of(source + ":" + target + (readOnly ? ":ro" : ""));
    }

    private static String lost(String target) {
        return "what the container writes to " + target + " stays in its own filesystem and is lost when the VM is replaced";
    }
}
