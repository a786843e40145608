package io.i2kit.provider.aws;

import java.util.List;
import java.util.Optional;

/** What runs of one application on AWS: answered to {@code i2kit status -e aws.yml}. */
public record AwsStatus(String application, String region, Optional<StackState> environment,
                        List<ServiceState> services) {
    public AwsStatus {
        services = List.copyOf(services);
    }

    public record StackState(String name, String status) {
    }

    /**
     * One service's stack, the digest of the image its instances run, its instances, and where it
     * answers: {@code endpoint} is the discovery name (host:port) other services use,
     * {@code publicUrl} is set for public services only. {@code desired} is what its groups want now
     * (an autoscaled group's policy moves it between {@code minSize} and {@code maxSize}).
     */
    public record ServiceState(String name, StackState stack, Optional<String> imageDigest, Optional<String> imageId,
                               int desired, int minSize, int maxSize, List<Instance> instances, Optional<String> endpoint,
                               Optional<String> publicUrl, Optional<String> loadBalancer) {
        public ServiceState {
            instances = List.copyOf(instances);
        }

        public long inService() {
            return instances.stream().filter(Instance::inService).count();
        }

        public boolean scales() {
            return minSize != maxSize;
        }
    }

    /** An instance of a service's scaling group as Auto Scaling sees it. */
    public record Instance(String id, String lifecycle, String health, Optional<String> launchTemplateVersion) {
        public boolean inService() {
            return lifecycle.equals("InService") && health.equalsIgnoreCase("Healthy");
        }
    }
}
