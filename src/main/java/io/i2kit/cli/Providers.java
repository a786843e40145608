package io.i2kit.cli;

import io.i2kit.event.Events;
import io.i2kit.manifest.Target;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.pipeline.Pipeline;
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

    /** The secret store of the loaded application on its target. */
    static SecretStore secrets(Pipeline.Loaded loaded, AwsOptions aws) {
        Target target = loaded.target();
        String application = loaded.manifest().application().name();
        return switch (target.provider()) {
            case LOCAL -> LocalSecretStore.of(I2kitHome.fromEnvironment().root(), application);
            case AWS -> AwsProvider.secrets(target, Optional.ofNullable(aws == null ? null : aws.endpointUrl), application);
        };
    }
}
