package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a compose service's {@code volumes} into i2kit binds. Only bind mounts of absolute paths
 * of the VM can work: a VM holds no copy of the project directory, and i2kit has no volumes, so
 * anything written outside a bind stays in the container and goes with the VM.
 */
final class ComposeVolumeReader {
    static final Set<String> LONG_KEYS = Set.of("type", "source", "target", "read_only");

    private final Binder in;
    private final Binder model;
    private final String path;
    private final String cpath;

    ComposeVolumeReader(Binder in, Binder model, String path, String cpath) {
        this.in = in;
        this.model = model;
        this.path = path;
        this.cpath = cpath;
    }

    List<String> binds(Mapping service) {
        List<String> binds = new ArrayList<>();
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
        return binds;
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
        if (!type.equals("bind")) {
            String what = type.equals("volume") ? source.map(v -> "named volume " + v).orElse("anonymous volume " + target)
                    : "a " + type + " mount";
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
            in.warning(at.position(), ipath, "named volume " + source + " is not supported; " + lost(target));
            return Optional.empty();
        }
        return Optional.of(source + ":" + target + (readOnly ? ":ro" : ""));
    }

    private static String lost(String target) {
        return "what the container writes to " + target + " stays in its own filesystem and is lost when the VM is replaced";
    }
}
