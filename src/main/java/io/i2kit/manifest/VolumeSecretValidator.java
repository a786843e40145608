package io.i2kit.manifest;

import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.Suggestions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The checks of {@link ManifestValidator} on what outlives a VM or never enters an image: volumes,
 * the mounts that bind them, and secrets (their names, the variables they set, the top-level
 * declarations).
 */
final class VolumeSecretValidator {
    private final SourceMap sources;
    private final Problems problems;

    VolumeSecretValidator(SourceMap sources, Problems problems) {
        this.sources = sources;
        this.problems = problems;
    }

    private void error(String path, String message) {
        problems.error(sources.at(path), path, message);
    }

    /** A declared secret nobody reads is harmless (it may be for a later version) but likely a slip. */
    void checkDeclarations(Application app) {
        Set<String> used = new HashSet<>();
        app.services().forEach(s -> used.addAll(s.secretNames()));
        for (SecretSpec secret : app.secrets()) {
            String path = "secrets." + secret.name();
            if (!SecretName.isValid(secret.name())) {
                error(path, SecretName.problem(secret.name()));
            } else if (!used.contains(secret.name())) {
                problems.warning(sources.at(path), path, "secret \"" + secret.name() + "\" is declared but no container "
                        + "reads it" + Suggestions.closest(secret.name(), used).map(n -> "; did you mean \"" + n + "\"?")
                        .orElse(""));
            }
        }
    }

    void checkSecrets(Container c, String cpath) {
        c.secrets().forEach((variable, secret) -> {
            String spath = cpath + ".secrets." + variable;
            if (!ManifestValidator.ENV_NAME.matcher(variable).matches()) {
                error(spath, "\"" + variable + "\" is not a valid environment variable name");
            } else if (c.environment().containsKey(variable)) {
                error(spath, variable + " is also set in environment; a variable comes from one place: remove one");
            }
            if (!SecretName.isValid(secret)) {
                error(spath, SecretName.problem(secret));
            }
        });
    }

    /**
     * Every mount names a volume of the service, and no container path is bound twice: two mounts,
     * a mount and a bind, or either at the path where the container finds its secrets.
     */
    void checkMounts(Service service, Container c, String cpath) {
        List<String> volumes = service.volumes().stream().map(Volume::name).toList();
        Map<String, String> bound = new HashMap<>();
        if (!c.secrets().isEmpty()) {
            bound.put(Container.SECRETS_PATH, "the container's secrets");
        }
        for (int i = 0; i < c.binds().size(); i++) {
            String[] parts = c.binds().get(i).split(":");
            if (parts.length >= 2) {
                String target = Mount.normalised(parts[1]);
                String owner = bound.putIfAbsent(target, "binds[" + i + "]");
                if (owner != null) {
                    error(cpath + ".binds[" + i + "]", "container path " + target + " is already bound by " + owner);
                }
            }
        }
        for (int i = 0; i < c.mounts().size(); i++) {
            Mount mount = c.mounts().get(i);
            String mpath = cpath + ".mounts[" + i + "]";
            if (!volumes.contains(mount.volume())) {
                error(mpath, "unknown volume \"" + mount.volume() + "\"" + Suggestions.closest(mount.volume(), volumes)
                        .map(v -> "; did you mean \"" + v + "\"?")
                        .orElse(volumes.isEmpty() ? "; declare it under the service's volumes, e.g. volumes: {"
                                + mount.volume() + ": {size: 1GiB}}" : "; the service's volumes are " + String.join(", ", volumes)));
            }
            String target = Mount.normalised(mount.path());
            if (target.equals("/") || List.of(mount.path().split("/")).contains("..")) {
                error(mpath, "a mount needs a path below / without \"..\", found \"" + mount.path() + "\"");
                continue;
            }
            String owner = bound.putIfAbsent(target, "mounts[" + i + "]");
            if (owner != null) {
                error(mpath, "container path " + target + " is already bound by " + owner);
            }
        }
    }

    void checkVolumes(Service service, String path) {
        if (service.volumes().size() > Volume.MAX_PER_SERVICE) {
            error(path + ".volumes", service.volumes().size() + " volumes; a service has at most " + Volume.MAX_PER_SERVICE
                    + " (each replica attaches every one as a disk)");
        }
        Set<String> mounted = new HashSet<>();
        service.containers().forEach(c -> c.mounts().forEach(m -> mounted.add(m.volume())));
        for (Volume volume : service.volumes()) {
            String vpath = path + ".volumes." + volume.name();
            if (!ManifestValidator.DNS_LABEL.matcher(volume.name()).matches()) {
                error(vpath, "volume name \"" + volume.name() + "\" is not usable as a DNS label; expected lowercase "
                        + "letters, digits and hyphens, starting with a letter" + ManifestValidator.hint(volume.name()));
            } else if (!mounted.contains(volume.name())) {
                error(vpath, "no container mounts volume \"" + volume.name() + "\"; add mounts: [\"" + volume.name()
                        + ":/path\"] to a container, or remove the volume");
            }
        }
    }
}
