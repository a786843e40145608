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
                        + "set certificate in the environment file, or public_zone so that i2kit requests one, or use http/tcp"
                        + "\n1 error in " + manifest);
        Path withCertificate = write("aws-cert.yml", "provider: aws\ncertificate: arn:aws:acm:eu-west-1:123456789012:certificate/abc\n");
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(withCertificate)))).doesNotThrowAnyException();
        Path withZone = write("aws-zone.yml", "provider: aws\npublic_zone: example.com\n");
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(withZone)))).doesNotThrowAnyException();
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.empty()))).doesNotThrowAnyException();
    }

    @Test
    void aPrivateServiceGetsNoRequestedCertificate() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  api:
                    containers:
                      api:
                        image: api
                        ports: ["https:443:http:80"]
                """);
        Path withZone = write("aws-zone.yml", "provider: aws\npublic_zone: example.com\n");
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(withZone))))
                .hasMessageContaining("7:17: error: services.api.containers.api.ports[0]: https needs a certificate: set "
                        + "certificate in the environment file (i2kit requests one only for a public service's public names)");
    }

    @Test
    void aHostnameOnAwsLiesInThePublicZone() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  web:
                    public: true
                    hostname: shop.example.org
                    containers:
                      nginx:
                        image: nginx
                        ports: [80]
                """);
        Path zone = write("aws.yml", "provider: aws\npublic_zone: example.com.\n");
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(zone)))).hasMessage(manifest
                + ":5:15: error: services.web.hostname: shop.example.org is not in the public zone example.com; use "
                + "example.com itself or a name that ends in .example.com\n1 error in " + manifest);
        Path noZone = write("aws-bare.yml", "provider: aws\n");
        assertThatThrownBy(() -> Pipeline.validate(Pipeline.load(manifest, Optional.of(noZone))))
                .hasMessageContaining("a hostname needs public_zone in the environment file");
        Path apex = write("i2kit-apex.yml", Files.readString(manifest).replace("shop.example.org", "example.com"));
        assertThatCode(() -> Pipeline.validate(Pipeline.load(apex, Optional.of(zone)))).doesNotThrowAnyException();
        assertThatCode(() -> Pipeline.validate(Pipeline.load(manifest, Optional.empty()))).doesNotThrowAnyException();
    }

    @Test
    void theValidProductionManifestReadsAsWritten() {
        Application app = Pipeline.validate(Pipeline.load(Path.of("src/test/resources/manifests/valid/production"),
                Optional.empty())).application();
        Service web = app.service("web").orElseThrow();
        Service api = app.service("api").orElseThrow();
        org.assertj.core.api.Assertions.assertThat(app.logRetentionDays()).isEqualTo(90);
        org.assertj.core.api.Assertions.assertThat(web.hostname()).contains("shop.example.com");
        org.assertj.core.api.Assertions.assertThat(web.replicas()).isEqualTo(2);
        org.assertj.core.api.Assertions.assertThat(web.autoscaling())
                .contains(new Autoscaling(2, 10, Optional.of(60), Optional.empty()));
        Port http = web.ports().get(0);
        org.assertj.core.api.Assertions.assertThat(web.redirectTarget(http)).contains(web.ports().get(1));
        org.assertj.core.api.Assertions.assertThat(web.redirectTarget(web.ports().get(1))).isEmpty();
        org.assertj.core.api.Assertions.assertThat(api.redirectTarget(api.ports().get(0))).isEmpty();
        org.assertj.core.api.Assertions.assertThat(api.autoscaling().orElseThrow().requestsPerTarget()).contains(500);
    }

    @Test
    void anHttpPortOnANetworkLoadBalancerIsWarnedThatItCannotRedirectOnAws() throws IOException {
        Path manifest = write("i2kit.yml", """
                name: shop
                services:
                  web:
                    public: true
                    containers:
                      nginx:
                        image: nginx
                        ports: [80, "https:443:http:80", "tcp:9000"]
                """);
        Path aws = write("aws.yml", "provider: aws\npublic_zone: example.com\n");
        Problems problems = Problems.of(List.of());
        var loaded = Pipeline.load(manifest, Optional.of(aws));
        ManifestValidator.validate(loaded.manifest().application(), loaded.target(), loaded.manifest().sources(), problems);
        org.assertj.core.api.Assertions.assertThat(problems.sorted()).extracting(Problem::toString).containsExactly(
                manifest + ":8:17: warning: services.web.containers.nginx.ports[0]: on AWS this service has a network "
                        + "load balancer (it has tcp, tls or udp ports), which cannot redirect: http port 80 forwards to "
                        + "the instance instead; give the http and https ports a service of their own to redirect, or set "
                        + "redirect_http: false");
        Path withoutTcp = write("i2kit-alb.yml", Files.readString(manifest).replace(", \"tcp:9000\"", ""));
        Problems none = Problems.of(List.of());
        var alb = Pipeline.load(withoutTcp, Optional.of(aws));
        ManifestValidator.validate(alb.manifest().application(), alb.target(), alb.manifest().sources(), none);
        org.assertj.core.api.Assertions.assertThat(none.sorted()).isEmpty();
    }

    @Test
    void loadBalancerSettingsAreRead() throws IOException {
        Path env = write("aws.yml", """
                provider: aws
                load_balancer:
                  access_logs: s3://my-logs/polls/
                  deletion_protection: true
                """);
        Target.LoadBalancer settings = TargetReader.read(env).loadBalancer();
        org.assertj.core.api.Assertions.assertThat(settings).isEqualTo(new Target.LoadBalancer(
                Optional.of(new Target.AccessLogs("my-logs", "polls")), true));
        Path bucketOnly = write("bucket.yml", "provider: aws\nload_balancer: {access_logs: s3://my-logs}\n");
        org.assertj.core.api.Assertions.assertThat(TargetReader.read(bucketOnly).loadBalancer()).isEqualTo(
                new Target.LoadBalancer(Optional.of(new Target.AccessLogs("my-logs", "")), false));
        org.assertj.core.api.Assertions.assertThat(TargetReader.read(write("none.yml", "provider: aws\n")).loadBalancer())
                .isEqualTo(Target.LoadBalancer.DEFAULT);
    }

    @Test
    void badLoadBalancerSettingsAreReportedWithTheirPlace() throws IOException {
        Path env = write("env.yml", """
                provider: aws
                load_balancer:
                  access_logs: https://my-logs.s3.amazonaws.com/x
                  deletion_protection: yes
                  idle_timeout: 60
                """);
        assertThatThrownBy(() -> TargetReader.read(env)).hasMessage(String.join("\n", List.of(
                env + ":3:16: error: load_balancer.access_logs: expected s3://BUCKET[/PREFIX], found "
                        + "\"https://my-logs.s3.amazonaws.com/x\"",
                env + ":4:24: error: load_balancer.deletion_protection: expected true or false, found \"yes\"",
                env + ":5:3: error: load_balancer.idle_timeout: unknown key \"idle_timeout\"; expected one of access_logs, deletion_protection",
                "3 errors in " + env)));
        Path badBucket = write("bucket.yml", "provider: aws\nload_balancer: {access_logs: s3://My_Logs/x}\n");
        assertThatThrownBy(() -> TargetReader.read(badBucket)).hasMessageStartingWith(badBucket
                + ":2:30: error: load_balancer.access_logs: \"My_Logs\" is not an S3 bucket name");
        Path awsLogs = write("prefix.yml", "provider: aws\nload_balancer: {access_logs: s3://logs/AWSLogs/x}\n");
        assertThatThrownBy(() -> TargetReader.read(awsLogs)).hasMessageStartingWith(awsLogs
                + ":2:30: error: load_balancer.access_logs: the prefix \"AWSLogs/x\" may not start with a slash or contain");
        Path local = write("local.yml", "load_balancer: {deletion_protection: true}\n");
        assertThatThrownBy(() -> TargetReader.read(local)).hasMessage(local
                + ":1:16: error: load_balancer: applies to provider aws only\n1 error in " + local);
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
