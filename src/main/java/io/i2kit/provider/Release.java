package io.i2kit.provider;

import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Target;
import java.util.List;
import java.util.Map;

/**
 * What the release stage hands a provider: the validated application with its discovery, where it
 * goes, each service's built image, the rendered CloudFormation templates, and the version of each
 * secret its containers read (never a value: the VMs get values from the target's secret store).
 */
public record Release(Discovery discovery, Target target, Map<String, BuiltImage> images,
                      List<RenderedTemplate> templates, Map<String, Long> secretVersions) {
    public Release {
        images = Map.copyOf(images);
        templates = List.copyOf(templates);
        secretVersions = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(secretVersions));
    }

    /** A release whose containers read no secret. */
    public Release(Discovery discovery, Target target, Map<String, BuiltImage> images, List<RenderedTemplate> templates) {
        this(discovery, target, images, templates, Map.of());
    }

    /** The versions of the secrets {@code service}'s containers read, by name; 0 for one the release has no version of. */
    public List<io.i2kit.discovery.BootMetadata.SecretVersion> secrets(String service) {
        return discovery.application().service(service).orElseThrow().secretNames().stream()
                .map(n -> new io.i2kit.discovery.BootMetadata.SecretVersion(n, secretVersions.getOrDefault(n, 0L)))
                .toList();
    }

    public String application() {
        return discovery.application().name();
    }

    public BuiltImage image(String service) {
        BuiltImage image = images.get(service);
        if (image == null) {
            throw new IllegalArgumentException("no image built for " + service);
        }
        return image;
    }
}
