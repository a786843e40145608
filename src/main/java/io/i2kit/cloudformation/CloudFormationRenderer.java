package io.i2kit.cloudformation;

import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an application as CloudFormation: {@code environment.json} (stack {@code i2kit-<app>})
 * holding what the services share, and {@code service-<name>.json} (stack
 * {@code i2kit-<app>-<service>}) per service. Pure: no AWS calls, the same input gives the same bytes.
 */
public final class CloudFormationRenderer {
    private CloudFormationRenderer() {
    }

    public static List<RenderedTemplate> render(Discovery discovery, Target target) {
        Application app = discovery.application();
        List<RenderedTemplate> templates = new ArrayList<>();
        templates.add(new RenderedTemplate("environment.json", environmentStackName(app.name()),
                EnvironmentRenderer.render(app, target)));
        for (Service service : app.services()) {
            templates.add(new RenderedTemplate("service-" + service.name() + ".json",
                    serviceStackName(app.name(), service.name()),
                    ServiceStackRenderer.render(discovery, service, target)));
        }
        return List.copyOf(templates);
    }

    public static String environmentStackName(String application) {
        return "i2kit-" + application;
    }

    public static String serviceStackName(String application, String service) {
        return environmentStackName(application) + "-" + service;
    }
}
