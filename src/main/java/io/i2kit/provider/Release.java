package io.i2kit.provider;

import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Target;
import java.util.List;
import java.util.Map;

/**
 * What the release stage hands a provider: the validated application with its discovery, where it
 * goes, each service's built image, and the rendered CloudFormation templates.
 */
public record Release(Discovery discovery, Target target, Map<String, BuiltImage> images,
                      List<RenderedTemplate> templates) {
    public Release {
        images = Map.copyOf(images);
        templates = List.copyOf(templates);
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
