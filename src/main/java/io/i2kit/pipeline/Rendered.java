package io.i2kit.pipeline;

import java.util.List;
import java.util.Map;

/**
 * What the render stage produced: one LinuxKit YAML per service (by service name, manifest order)
 * and the CloudFormation templates.
 */
public record Rendered(Map<String, String> linuxkit, List<Template> cloudformation) {
    public Rendered {
        linuxkit = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(linuxkit));
        cloudformation = List.copyOf(cloudformation);
    }

    /** A CloudFormation template: its file name, the stack it deploys, its JSON text. */
    public record Template(String fileName, String stackName, String json) {
    }
}
