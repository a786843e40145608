package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.build.BuiltImage;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.discovery.Discovery;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.provider.aws.AwsContext;
import io.i2kit.provider.aws.AwsProvider;
import io.i2kit.provider.aws.AwsRelease;
import io.i2kit.provider.aws.stack.StackTimings;
import io.i2kit.oci.store.I2kitHome;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What up, plan, status and down share on an AWS target: the provider and the release to deploy. */
final class AwsTarget {
    private AwsTarget() {
    }

    static AwsProvider provider(Target target, AwsOptions options, PrintWriter err, ProgressPrinter progress) {
        return provider(target, options, err, progress, AwsProvider.DEFAULT_HEALTH_TIMEOUT);
    }

    static AwsProvider provider(Target target, AwsOptions options, PrintWriter err, ProgressPrinter progress,
                                Duration healthTimeout) {
        AwsContext context = AwsContext.resolve(target.region(), Optional.ofNullable(options.endpointUrl), System.getenv());
        err.println("i2kit: AWS region " + context.region().id()
                + context.endpoint().map(e -> ", endpoint " + e).orElse(""));
        err.flush();
        return new AwsProvider(context, progress, line -> {
            err.println(line);
            err.flush();
        }, StackTimings.DEFAULTS, healthTimeout);
    }

    /**
     * The pipeline's stages between validate and deploy, for an AWS target: render the
     * CloudFormation templates, then build every service's image with its raw-efi disk.
     */
    static AwsRelease release(Pipeline.Loaded loaded, Discovery discovery, PrintWriter err, ProgressPrinter progress) {
        List<RenderedTemplate> templates = Pipeline.renderCloudFormation(discovery, loaded.target());
        I2kitHome home = I2kitHome.fromEnvironment();
        ImagePreparation.bootstrapIfMissing(home, loaded, err, progress);
        Map<String, BuiltImage> images = ImagePreparation.build(home, loaded, discovery, progress, true);
        String application = discovery.application().name();
        List<AwsRelease.ServiceRelease> services = new ArrayList<>();
        for (Service service : discovery.application().services()) {
            BuiltImage image = images.get(service.name());
            services.add(new AwsRelease.ServiceRelease(service.name(),
                    template(templates, CloudFormationRenderer.serviceStackName(application, service.name())),
                    image.digest(), image.efi().orElseThrow(() ->
                            new I2kitException("the build of " + service.name() + " has no raw-efi disk"))));
        }
        return new AwsRelease(application,
                template(templates, CloudFormationRenderer.environmentStackName(application)), services);
    }

    private static RenderedTemplate template(List<RenderedTemplate> templates, String stackName) {
        return templates.stream().filter(t -> t.stackName().equals(stackName)).findFirst().orElseThrow();
    }

    static boolean isAws(Pipeline.Loaded loaded) {
        return loaded.target().provider() == Target.Provider.AWS;
    }
}
