package io.i2kit.linuxkit;

import java.util.List;

/**
 * LinuxKit's YAML, as far as i2kit writes and reads it: kernel, init, onboot, services, files.
 * Field names follow LinuxKit's {@code docs/yaml.md}.
 */
public record LinuxkitTemplate(Kernel kernel, List<String> init, List<ContainerTemplate> onboot,
                               List<ContainerTemplate> services, List<FileTemplate> files) {
    public LinuxkitTemplate {
        init = List.copyOf(init);
        onboot = List.copyOf(onboot);
        services = List.copyOf(services);
        files = List.copyOf(files);
    }

    public record Kernel(String image, String cmdline) {
    }

    /** A file baked into the image; {@code path} is relative to the root, as LinuxKit writes it. */
    public record FileTemplate(String path, String contents, String mode) {
    }
}
