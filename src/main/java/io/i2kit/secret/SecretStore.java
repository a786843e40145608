package io.i2kit.secret;

import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * Where an application's secrets live on one target: {@link LocalSecretStore} under
 * {@code $I2KIT_HOME} for the local provider, SSM Parameter Store on AWS. Values go in and never
 * come back out through this interface: listing and versions say names, versions and dates only.
 * Every change makes a new version, and a new version is what replaces the VMs that read it.
 */
public interface SecretStore {
    /** Stores {@code value} as the secret's next version. */
    SecretInfo set(String name, byte[] value);

    /** Every secret of the application, by name. */
    List<SecretInfo> list();

    /** Deletes the secret; false when there was none. */
    boolean remove(String name);

    /** The current version of each of {@code names} that is set; names that are not set are absent. */
    Map<String, Long> versions(Collection<String> names);

    /** Where the secrets are, for messages: a directory, or an SSM path. */
    String location();
}
