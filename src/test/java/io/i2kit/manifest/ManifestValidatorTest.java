package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.yaml.Problem;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestValidatorTest {
    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    @Test
    void httpsNeedsACertificateOnAws() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  web:
                    public: true
                    containers:
                      nginx:
                        image: nginx
                        ports: ["https:443:http:80"]
                """);
        Path aws = write("aws.yml", "provider: aws\nregion: eu-west-1\n");
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(aws))))
                .hasMessage(manifest + ":8:17: error: services.web.containers.nginx.ports[0]: https needs a certificate: "
                        + "set certificate in the environment file, or use http/tcp\n1 error in " + manifest);
        Path withCertificate = write("aws-cert.yml", "provider: aws\ncertificate: arn:aws:acm:eu-west-1:123456789012:certificate/abc\n");
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(withCertificate)))).doesNotThrowAnyException();
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.empty()))).doesNotThrowAnyException();
    }

    @Test
    void aVolumeSizeThatWouldWrapAroundIsTooLarge() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  db:
                    volumes: {data: {size: 16777217TiB}}
                    containers:
                      db:
                        image: redis
                """);
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.empty()))).hasMessage(manifest
                + ":4:28: error: services.db.volumes.data.size: expected a size from 16MiB to 16384GiB, found 16777217TiB"
                + "\n1 error in " + manifest);
    }

    @Test
    void environmentFilesAreCheckedToo() throws IOException {
        Path env = write("env.yml", "provider: gcp\nvpc: vpc-1\nregoin: x\n");
        assertThatThrownBy(() -> TargetReader.read(env)).hasMessage(String.join("\n", List.of(
                env + ":1:11: error: provider: unknown provider \"gcp\"; expected local or aws",
                env + ":2:6: error: vpc: applies to provider aws only",
                env + ":2:6: error: subnets: an existing VPC needs its subnets and subnets need their VPC: set both or neither",
                env + ":3:1: error: regoin: unknown key \"regoin\"; did you mean \"region\"?",
                "4 errors in " + env)));
    }

    @Test
    void awsHealthSettingsOutsideAwsRangesAreWarnedAbout() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  web:
                    health:
                      interval: 1500ms
                      healthy_threshold: 1
                    containers:
                      nginx:
                        image: nginx
                        ports: [80]
                """);
        Path aws = write("aws.yml", "provider: aws\n");
        Problems problems = Problems.of(List.of());
        var loaded = Pipeline.load(manifest, Optional.of(aws));
        ManifestValidator.validate(loaded.manifest().application(), loaded.target(), loaded.manifest().sources(), problems);
        org.assertj.core.api.Assertions.assertThat(problems.sorted()).extracting(Problem::toString).containsExactly(
                manifest + ":5:7: warning: services.web.health.timeout: AWS load balancers accept whole seconds from 2s to 120s; 750ms becomes 2s on AWS",
                manifest + ":5:17: warning: services.web.health.interval: AWS load balancers accept whole seconds from 5s to 300s; 1500ms becomes 5s on AWS",
                manifest + ":6:26: warning: services.web.health.healthy_threshold: AWS load balancers accept thresholds from 2 to 10; 1 becomes 2 on AWS");
        assertThatCode(() -> Pipeline.validate(loaded)).doesNotThrowAnyException();
    }

    @Test
    void hugeDurationsAreAnErrorNotACrash() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  web:
                    health: {interval: 99999999999999999999s}
                    containers: {nginx: {image: nginx, ports: [80]}}
                """);
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.empty())))
                .hasMessageContaining("services.web.health.interval: expected a duration such as 10s, 500ms or 2m");
    }
}
