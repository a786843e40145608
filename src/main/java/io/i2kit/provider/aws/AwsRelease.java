package io.i2kit.provider.aws;

import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.oci.Digest;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code up} and {@code plan} deploy: the application's environment stack and, per service,
 * its stack and the raw-efi disk image that becomes its AMI. Built by the pipeline; no AWS in it.
 */
public record AwsRelease(String application, RenderedTemplate environment, List<ServiceRelease> services) {
    public AwsRelease {
        services = List.copyOf(services);
    }

    /** One service: its template (parameters ImageId and ImageDigest) and its built disk image. */
    public record ServiceRelease(String service, RenderedTemplate template, Digest digest, Path diskImage) {
    }
}
