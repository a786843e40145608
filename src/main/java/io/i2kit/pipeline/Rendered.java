package io.i2kit.pipeline;

import io.i2kit.cloudformation.RenderedTemplate;
import java.util.List;
import java.util.Map;

/**
 * What the render stage produced: one LinuxKit YAML per service (by service name, manifest order)
 * and the CloudFormation templates.
 */
public record Rendered(Map<String, String> linuxkit, List<RenderedTemplate> cloudformation) {
    public Rendered {
        linuxkit = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(linuxkit));
        cloudformation = List.copyOf(cloudformation);
    }
}
