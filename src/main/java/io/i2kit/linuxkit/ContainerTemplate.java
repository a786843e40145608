package io.i2kit.linuxkit;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One {@code onboot} or {@code services} entry of LinuxKit YAML. An empty Optional means "not set":
 * then the image's {@code org.mobyproject.config} label, and after it the image config, decide, as
 * in LinuxKit. {@code capabilities.add} and {@code binds.add} extend the label's lists.
 */
public record ContainerTemplate(String name, String image, Optional<List<String>> command,
                                Optional<List<String>> env, Optional<List<String>> capabilities,
                                List<String> capabilitiesAdd, Optional<List<String>> binds, List<String> bindsAdd,
                                List<String> tmpfs, Optional<String> net, Optional<String> pid,
                                Optional<Boolean> readonly, Optional<String> cwd, Optional<String> uid,
                                Optional<String> gid) {
    public ContainerTemplate {
        command = command.map(List::copyOf);
        env = env.map(List::copyOf);
        capabilities = capabilities.map(List::copyOf);
        capabilitiesAdd = List.copyOf(capabilitiesAdd);
        binds = binds.map(List::copyOf);
        bindsAdd = List.copyOf(bindsAdd);
        tmpfs = List.copyOf(tmpfs);
    }

    /** An entry that sets only its name and image: everything else comes from the image. */
    public static ContainerTemplate of(String name, String image) {
        return new ContainerTemplate(name, image, Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
                Optional.empty(), List.of(), List.of(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ContainerTemplate withImage(String newImage) {
        return new ContainerTemplate(name, newImage, command, env, capabilities, capabilitiesAdd, binds, bindsAdd,
                tmpfs, net, pid, readonly, cwd, uid, gid);
    }

    public ContainerTemplate withCommand(List<String> newCommand) {
        return new ContainerTemplate(name, image, Optional.of(newCommand), env, capabilities, capabilitiesAdd, binds,
                bindsAdd, tmpfs, net, pid, readonly, cwd, uid, gid);
    }

    public ContainerTemplate withBinds(List<String> newBinds) {
        return new ContainerTemplate(name, image, command, env, capabilities, capabilitiesAdd, Optional.of(newBinds),
                bindsAdd, tmpfs, net, pid, readonly, cwd, uid, gid);
    }

    public ContainerTemplate withCapabilities(List<String> newCapabilities) {
        return new ContainerTemplate(name, image, command, env, Optional.of(newCapabilities), capabilitiesAdd, binds,
                bindsAdd, tmpfs, net, pid, readonly, cwd, uid, gid);
    }

    /**
     * This entry over the defaults of its image's label, with LinuxKit's rules: a value set here
     * replaces the label's; {@code .add} lists extend the label's list.
     */
    public ContainerTemplate over(ContainerTemplate label) {
        return new ContainerTemplate(name, image, command.or(label::command), env.or(label::env),
                capabilities.or(() -> merged(label.capabilities, label.capabilitiesAdd, capabilitiesAdd)), List.of(),
                binds.or(() -> merged(label.binds, label.bindsAdd, bindsAdd)), List.of(),
                tmpfs.isEmpty() ? label.tmpfs : tmpfs, net.or(label::net), pid.or(label::pid),
                readonly.or(label::readonly), cwd.or(label::cwd), uid.or(label::uid), gid.or(label::gid));
    }

    private static Optional<List<String>> merged(Optional<List<String>> base, List<String> baseAdd, List<String> add) {
        if (base.isEmpty() && baseAdd.isEmpty() && add.isEmpty()) {
            return Optional.empty();
        }
        List<String> all = new ArrayList<>(base.orElse(List.of()));
        all.addAll(baseAdd);
        all.addAll(add);
        return Optional.of(all);
    }
}
