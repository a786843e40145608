package io.i2kit.cli;

import io.i2kit.event.Events;
import io.i2kit.manifest.Target;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.provider.Provider;
import io.i2kit.provider.aws.AwsProvider;
import io.i2kit.provider.local.LocalProvider;
import io.i2kit.secret.LocalSecretStore;
import io.i2kit.secret.SecretStore;
import java.util.Optional;

/**
 * The one place that knows the targets: the provider an environment file names (local without
 * one), and where that target keeps an application's secrets.
 */
final class Providers {
    private Providers() {
    }

    static Provider of(Target target, AwsOptions aws, Events events) {
        return switch (target.provider()) {
            case LOCAL -> new LocalProvider(I2kitHome.fromEnvironment());
            case AWS -> AwsProvider.of(target, Optional.ofNullable(aws == null ? null : aws.endpointUrl), events);
        };
    }

    /** The secret store of {@code application} on {@code target}. */
    static SecretStore secrets(Target target, String application, AwsOptions aws) {
        return switch (target.provider()) {
            case LOCAL -> LocalSecretStore.of(I2kitHome.fromEnvironment().root(), application);
            case AWS -> new Unavailable("/i2kit/" + application + "/");
        };
    }

    /** AWS's store (SSM Parameter Store) until it is part of this build: fails when used, not when chosen. */
    private record Unavailable(String location) implements SecretStore {
        private io.i2kit.I2kitException refusal() {
            return new io.i2kit.I2kitException("secrets on AWS (SSM Parameter Store " + location
                    + "NAME) are not available in this build");
        }

        @Override
        public io.i2kit.secret.SecretInfo set(String name, byte[] value) {
            throw refusal();
        }

        @Override
        public java.util.List<io.i2kit.secret.SecretInfo> list() {
            throw refusal();
        }

        @Override
        public boolean remove(String name) {
            throw refusal();
        }

        @Override
        public java.util.Map<String, Long> versions(java.util.Collection<String> names) {
            throw refusal();
        }
    }
}
