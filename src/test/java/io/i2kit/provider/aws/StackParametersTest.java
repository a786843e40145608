package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import io.i2kit.secret.SecretInfo;
import io.i2kit.secret.SecretStore;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secret versions as stack parameters: every secret a service reads must be set, and each stack gets its own. */
class StackParametersTest {
    private static final SecretStore STORE = new SecretStore() {
        @Override
        public SecretInfo set(String name, byte[] value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SecretInfo> list() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean remove(String name) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Long> versions(Collection<String> names) {
            return names.contains("db-password") ? Map.of("db-password", 4L) : Map.of();
        }

        @Override
        public String location() {
            return "SSM Parameter Store /i2kit/notes/ in eu-west-1";
        }
    };

    @Test
    void eachServiceGetsTheVersionsOfItsOwnSecrets() {
        AwsRelease.ServiceRelease db = service("db", Map.of("SecretVersion1", "db-password"));
        Map<String, String> versions = new StackParameters(null, STORE).secretVersions(List.of(db));
        assertThat(StackParameters.forService(db, versions)).isEqualTo(Map.of("SecretVersion1", "4"));
        assertThat(StackParameters.forService(service("web", Map.of()), versions)).isEmpty();
    }

    @Test
    void anUnsetSecretFailsWithTheCommandThatSetsIt() {
        AwsRelease.ServiceRelease worker = service("worker", Map.of("SecretVersion1", "api-token",
                "SecretVersion2", "db-password"));
        assertThatThrownBy(() -> new StackParameters(null, STORE).secretVersions(List.of(worker)))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("secrets not set in SSM Parameter Store /i2kit/notes/ in eu-west-1: api-token (read by worker); "
                        + "set each with: i2kit secret set -f MANIFEST -e ENVIRONMENT api-token < FILE");
    }

    @Test
    void aPlanTakesAnUnsetSecretAsTheFirstVersionUpWillGenerate() {
        AwsRelease.ServiceRelease worker = service("worker", Map.of("SecretVersion1", "api-token",
                "SecretVersion2", "db-password"));
        Map<String, String> versions = new StackParameters(null, STORE).plannedSecretVersions(List.of(worker));
        assertThat(StackParameters.forService(worker, versions))
                .isEqualTo(Map.of("SecretVersion1", "1", "SecretVersion2", "4"));
    }

    @Test
    void aKeptVolumeMustBeInTheZoneItsReplicaRunsIn() {
        List<String> zones = List.of("eu-west-1a", "eu-west-1b");
        assertThat(StackParameters.zoneOfReplica("1", zones)).isEqualTo("eu-west-1a");
        assertThat(StackParameters.zoneOfReplica("2", zones)).isEqualTo("eu-west-1b");
        assertThat(StackParameters.zoneOfReplica("3", zones)).isEqualTo("eu-west-1a");
        assertThat(StackParameters.zoneOfReplica("?", zones)).isEmpty();
    }

    @Test
    void servicesWithoutSecretsNeedNoStore() {
        assertThat(new StackParameters(null, null).secretVersions(List.of(service("web", Map.of())))).isEmpty();
    }

    private static AwsRelease.ServiceRelease service(String name, Map<String, String> secrets) {
        return new AwsRelease.ServiceRelease(name, null, null, Path.of("disk"), secrets, Map.of());
    }
}
