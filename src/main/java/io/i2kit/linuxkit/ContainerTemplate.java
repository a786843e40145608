package io.i2kit.linuxkit;

import java.util.List;
import java.util.Optional;

/**
 * One {@code onboot} or {@code services} entry. Empty lists mean "not set" (the image's own value
 * applies), except {@code capabilities}, which i2kit always writes explicitly.
 */
public record ContainerTemplate(String name, String image, List<String> command, List<String> env,
                                List<String> capabilities, List<String> binds, Optional<String> net,
                                Optional<String> pid, boolean readonly, Optional<String> cwd,
                                Optional<String> uid, Optional<String> gid) {
    public ContainerTemplate {
        command = List.copyOf(command);
        env = List.copyOf(env);
        capabilities = List.copyOf(capabilities);
        binds = List.copyOf(binds);
    }

    /** A system container of a base profile: host namespaces, fixed capabilities. */
    static ContainerTemplate system(String name, String image, List<String> command, List<String> capabilities,
                                    List<String> binds) {
        return new ContainerTemplate(name, image, command, List.of(), capabilities, binds, Optional.of("host"),
                Optional.empty(), false, Optional.empty(), Optional.empty(), Optional.empty());
    }
}
