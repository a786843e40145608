package io.i2kit.manifest;

import io.i2kit.yaml.Binder;
import io.i2kit.yaml.YamlNode;
import io.i2kit.yaml.YamlNode.Mapping;
import io.i2kit.yaml.YamlNode.Scalar;
import io.i2kit.yaml.YamlNode.Sequence;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads a compose service's {@code secrets} into the container's secrets. Compose mounts each at
 * {@code /run/secrets/NAME}, as i2kit does; i2kit also sets a variable, named after the secret in
 * upper case. The value is not taken from the compose file's {@code file:} or
 * {@code environment:}: a value belongs in the secret store, never next to the manifest.
 */
final class ComposeSecretReader {
    static final Set<String> LONG_KEYS = Set.of("source", "target", "uid", "gid", "mode");

    private final Binder in;
    private final Binder model;
    private final String path;
    private final String cpath;
    private final Set<String> declared;
    private final Path file;

    /** {@code declared}: the names under the file's top-level {@code secrets}. */
    ComposeSecretReader(Binder in, Binder model, String path, String cpath, Set<String> declared, Path file) {
        this.in = in;
        this.model = model;
        this.path = path;
        this.cpath = cpath;
        this.declared = declared;
        this.file = file;
    }

    /** Environment variable to secret name. */
    Map<String, String> read(Mapping service) {
        Map<String, String> secrets = new LinkedHashMap<>();
        String spath = Binder.child(path, "secrets");
        in.value(service, "secrets", path).ifPresent(n -> {
            if (!(n instanceof Sequence seq)) {
                in.error(n, spath, "expected a list of secret names, found " + Binder.describe(n));
                return;
            }
            for (int i = 0; i < seq.items().size(); i++) {
                YamlNode item = seq.items().get(i);
                String ipath = Binder.item(spath, i);
                Optional<String> source = source(item, ipath);
                if (source.isEmpty()) {
                    continue;
                }
                if (!declared.contains(source.get())) {
                    in.error(item, ipath, "secret \"" + source.get() + "\" is not declared under the top-level secrets");
                    continue;
                }
                String name = SecretName.from(source.get());
                String variable = variable(source.get());
                model.record(cpath + ".secrets." + variable, item);
                secrets.put(variable, name);
                in.warning(item.position(), ipath, "secret " + source.get() + " becomes the i2kit secret " + name
                        + ", in " + Container.SECRETS_PATH + "/" + name + " and in the variable " + variable
                        + "; i2kit does not read its file or environment: set it with `i2kit secret set -f " + file
                        + " " + name + "` (the value on stdin)");
            }
        });
        return secrets;
    }

    private Optional<String> source(YamlNode item, String ipath) {
        if (item instanceof Mapping m) {
            in.warnUnsupported(m, ipath, LONG_KEYS, ComposeImporter.UNSUPPORTED);
            String source = in.required(m, "source", ipath, "the secret's name");
            in.string(m, "target", ipath).filter(t -> source != null && !t.equals(source)
                    && !t.equals(Container.SECRETS_PATH + "/" + source)).ifPresent(t -> in.warning(m.keyPosition("target"),
                    Binder.child(ipath, "target"), "ignored: i2kit puts the secret at " + Container.SECRETS_PATH + "/"
                            + SecretName.from(source)));
            for (String key : new String[] {"uid", "gid", "mode"}) {
                if (m.entries().containsKey(key)) {
                    in.warning(m.keyPosition(key), Binder.child(ipath, key), "ignored: i2kit's secret files are owned "
                            + "by root with mode 0400");
                }
            }
            return Optional.ofNullable(source);
        }
        if (!(item instanceof Scalar s) || s.isNull()) {
            in.error(item, ipath, "expected a secret name, found " + Binder.describe(item));
            return Optional.empty();
        }
        return Optional.of(s.value());
    }

    /** The secret's name in upper case, with every other character '_', as a variable name. */
    static String variable(String composeName) {
        String v = composeName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9_]", "_");
        return v.isEmpty() || Character.isDigit(v.charAt(0)) ? "_" + v : v;
    }
}
