package io.i2kit.provider.aws;

import io.i2kit.cloudformation.RenderedTemplate;
import io.i2kit.oci.Digest;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code up} and {@code plan} deploy: the application's environment stack and, per service,
 * its stack and the raw-efi disk image that becomes its AMI. Built by the pipeline; no AWS in it.
 */
public record AwsRelease(String application, RenderedTemplate environment, List<ServiceRelease> services) {
    public AwsRelease {
        services = List.copyOf(services);
    }

    /**
     * One service: its template (parameters ImageId and ImageDigest), its built disk image, the
     * template's parameter per secret it reads (to the secret's name), and per volume of each
     * replica the parameter that hands it a kept volume (to "VOLUME REPLICA"); stateful when any.
     * {@code publicZone}: the public hosted zone its public name goes into; when it {@code
     * requestsCertificate}, its template's {@code PublicZoneId} takes that zone's id.
     */
    public record ServiceRelease(String service, RenderedTemplate template, Digest digest, Path diskImage,
                                 Map<String, String> secretParameters, Map<String, String> keptVolumeParameters,
                                 Optional<String> publicZone, boolean requestsCertificate) {
        public ServiceRelease {
            secretParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(secretParameters));
            keptVolumeParameters = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(keptVolumeParameters));
        }

        public ServiceRelease(String service, RenderedTemplate template, Digest digest, Path diskImage,
                              Map<String, String> secretParameters, Map<String, String> keptVolumeParameters) {
            this(service, template, digest, diskImage, secretParameters, keptVolumeParameters, Optional.empty(), false);
        }

        public ServiceRelease(String service, RenderedTemplate template, Digest digest, Path diskImage) {
            this(service, template, digest, diskImage, Map.of(), Map.of());
        }

        public boolean stateful() {
            return !keptVolumeParameters.isEmpty();
        }
    }
}
