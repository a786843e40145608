package io.i2kit.linuxkit;

import io.i2kit.discovery.Discovery;
import io.i2kit.lock.Pins;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Container;
import io.i2kit.manifest.Mount;
import io.i2kit.manifest.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Turns one service of a resolved application into LinuxKit YAML: the profile's kernel, init and
 * onboot steps, then one LinuxKit service per pod container sharing the VM's network.
 */
public final class LinuxkitTranslator {
    /** Every container sees the VM's resolver and hosts file, which carry the discovery names. */
    static final List<String> DISCOVERY_BINDS = List.of("/etc/resolv.conf:/etc/resolv.conf:ro", "/etc/hosts:/etc/hosts:ro");
    /** Where the init mounts each volume of the VM (see init-files/usr/lib/i2kit/volumes.sh). */
    public static final String VOLUMES = "/run/i2kit/volumes/";
    /** Per container that reads secrets: the environment variables and the secrets that set them. */
    static final String SECRET_NAMES = "etc/i2kit/secrets/";
    /** Where the init puts a container's secret files (one per secret, 0400, the container's own). */
    static final String SECRET_FILES = "/run/i2kit/secrets/";

    private final Pins pins;
    private final ImageDefaults.Lookup images;

    public LinuxkitTranslator(Pins pins, ImageDefaults.Lookup images) {
        this.pins = pins;
        this.images = images;
    }

    public LinuxkitTemplate translate(Discovery discovery, Service service) {
        Application app = discovery.application();
        BaseProfile base = BaseProfile.of(app.packages());
        List<String> init = base.init(service).stream().map(pins::pin).toList();
        List<ContainerTemplate> onboot = base.onboot().stream().map(o -> o.withImage(pins.pin(o.image()))).toList();
        List<ContainerTemplate> services = service.containers().stream()
                .map(c -> container(c, discovery.environment(service, c))).toList();
        String release = "{\"application\":\"" + app.name() + "\",\"service\":\"" + service.name()
                + "\",\"zone\":\"" + app.zone() + "\"}\n";
        List<LinuxkitTemplate.FileTemplate> files = new ArrayList<>();
        files.add(new LinuxkitTemplate.FileTemplate("etc/i2kit/service.json", release, "0644"));
        service.containers().stream().filter(c -> !c.secrets().isEmpty()).forEach(c -> files.add(secretNames(c)));
        return new LinuxkitTemplate(new LinuxkitTemplate.Kernel(pins.pin(base.kernel()), base.cmdline()), init, onboot,
                services, files);
    }

    /**
     * What the init needs to give a container its secrets, names only: {@code ENV NAME} per line in
     * {@code /etc/i2kit/secrets/CONTAINER}. The values reach the VM at boot, never the image.
     */
    static LinuxkitTemplate.FileTemplate secretNames(Container c) {
        StringBuilder lines = new StringBuilder();
        c.secrets().forEach((env, name) -> lines.append(env).append(' ').append(name).append('\n'));
        return new LinuxkitTemplate.FileTemplate(SECRET_NAMES + c.name(), lines.toString(), "0644");
    }

    private ContainerTemplate container(Container c, Map<String, String> environment) {
        String image = pins.pin(c.image().toString());
        Optional<ImageDefaults> defaults = images.find(image);
        List<String> binds = new ArrayList<>(c.binds());
        c.mounts().forEach(m -> binds.add(bind(m)));
        DISCOVERY_BINDS.stream().filter(b -> binds.stream().noneMatch(u -> target(u).equals(target(b)))).forEach(binds::add);
        if (!c.secrets().isEmpty()) {
            binds.add(SECRET_FILES + c.name() + ":" + Container.SECRETS_PATH + ":ro");
        }
        Optional<String> user = c.user().or(() -> defaults.flatMap(ImageDefaults::user));
        List<String> command = command(c, defaults);
        return new ContainerTemplate(c.name(), image, command.isEmpty() ? Optional.empty() : Optional.of(command),
                nonEmpty(env(environment, defaults)), Optional.of(Capabilities.of(c.capabilities(), c.capDrop())),
                List.of(), Optional.of(binds), List.of(), List.of(), Optional.of("host"), Optional.empty(),
                Optional.of(c.readonly()), c.workingDir().or(() -> defaults.flatMap(ImageDefaults::workingDir)),
                user.map(u -> u.split(":", 2)[0]), user.filter(u -> u.contains(":")).map(u -> u.split(":", 2)[1]));
    }

    /** An empty env in LinuxKit YAML would replace the image's environment with nothing. */
    private static Optional<List<String>> nonEmpty(List<String> env) {
        return env.isEmpty() ? Optional.empty() : Optional.of(env);
    }

    /**
     * A volume's mount as a LinuxKit bind of the init's mount point: what the container writes
     * there goes to the replica's disk. No propagation: the container sees the volume, not mounts
     * made under it later.
     */
    static String bind(Mount m) {
        return VOLUMES + m.volume() + ":" + m.path() + (m.readOnly() ? ":ro" : ":rw");
    }

    private static String target(String bind) {
        String[] parts = bind.split(":");
        return parts.length > 1 ? parts[1] : bind;
    }

    /**
     * Docker's rules: an entrypoint given in the manifest drops the image's cmd; a command alone
     * keeps the image's entrypoint. With neither, the image's own apply (LinuxKit reads them).
     */
    static List<String> command(Container c, Optional<ImageDefaults> defaults) {
        if (!c.entrypoint().isEmpty()) {
            List<String> command = new ArrayList<>(c.entrypoint());
            command.addAll(c.command());
            return command;
        }
        if (!c.command().isEmpty()) {
            List<String> command = new ArrayList<>(defaults.map(ImageDefaults::entrypoint).orElse(List.of()));
            command.addAll(c.command());
            return command;
        }
        return defaults.map(d -> {
            List<String> command = new ArrayList<>(d.entrypoint());
            command.addAll(d.cmd());
            return command;
        }).orElse(List.of());
    }

    /** The image's environment, then the container's (discovery included), later keys winning. */
    static List<String> env(Map<String, String> environment, Optional<ImageDefaults> defaults) {
        Map<String, String> env = environment;
        if (defaults.isPresent()) {
            env = new LinkedHashMap<>();
            for (String e : defaults.get().env()) {
                int eq = e.indexOf('=');
                env.put(eq < 0 ? e : e.substring(0, eq), eq < 0 ? "" : e.substring(eq + 1));
            }
            env.putAll(environment);
        }
        List<String> lines = new ArrayList<>(env.size());
        env.forEach((k, v) -> lines.add(k + "=" + v));
        return lines;
    }
}
