package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.yaml.SourceMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KubernetesImporterTest {
    @Test
    void normalisesDeploymentsAndTheServicesSelectingThem() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/shop/shop.yml"));
        Application app = manifest.application();

        assertThat(manifest.format()).isEqualTo(Manifest.Format.KUBERNETES);
        assertThat(app.name()).isEqualTo("shop");
        assertThat(app.domain()).isEqualTo(Application.DEFAULT_DOMAIN);
        assertThat(app.packages()).isEqualTo(PackageProfile.OFFLINE);
        assertThat(app.services()).extracting(Service::name).containsExactly("web", "db", "dns");

        Service web = app.service("web").orElseThrow();
        assertThat(web.replicas()).isEqualTo(3);
        assertThat(web.isPublic()).isTrue();
        assertThat(web.containers()).extracting(Container::name).containsExactly("app", "proxy");
        Container app0 = web.containers().get(0);
        assertThat(app0.image()).hasToString("ghcr.io/acme/web:1.4");
        assertThat(app0.entrypoint()).containsExactly("/bin/web");
        assertThat(app0.command()).containsExactly("--listen", ":8080");
        assertThat(app0.environment()).containsExactly(
                Map.entry("DB_URL", "postgres://${db.host}:${db.port}/shop"),
                Map.entry("PRICE", "cost: $${AMOUNT}"));
        assertThat(app0.ports()).extracting(Port::toString).containsExactly("http:80:http:8080");
        assertThat(app0.capabilities()).containsExactly("NET_BIND_SERVICE");
        assertThat(app0.capDrop()).containsExactly("ALL");
        assertThat(app0.readonly()).isTrue();
        assertThat(app0.user()).contains("1000:2000");
        Container proxy = web.containers().get(1);
        assertThat(proxy.workingDir()).contains("/etc/envoy");
        assertThat(proxy.ports()).extracting(Port::toString).containsExactly("tcp:9901:tcp:9901");
        assertThat(web.health()).hasValueSatisfying(h -> {
            assertThat(h.protocol()).isEqualTo(Health.Kind.HTTP);
            assertThat(h.port()).isEqualTo(8080);
        });

        Service db = app.service("db").orElseThrow();
        assertThat(db.replicas()).isEqualTo(1);
        assertThat(db.isPublic()).isFalse();
        assertThat(db.ports()).extracting(Port::toString).containsExactly("tcp:5432:tcp:5432");

        Service dns = app.service("dns").orElseThrow();
        assertThat(dns.replicas()).isEqualTo(2);
        assertThat(dns.isPublic()).isFalse();
        assertThat(dns.ports()).extracting(Port::toString).containsExactly("udp:53:udp:53");
    }

    @Test
    void warnsAboutEveryFieldItCannotHonour() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/shop/shop.yml"));
        assertThat(String.join("\n", Fixtures.warnings(manifest)))
                .isEqualTo(Fixtures.expected(Fixtures.file("kubernetes/shop"), "warnings.txt"));
    }

    @Test
    void claimedVolumesBecomeVolumesAndSecretKeyRefsBecomeSecrets() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/stateful/app.yml"));
        Service db = manifest.application().service("db").orElseThrow();
        assertThat(db.volumes()).containsExactly(new Volume("data", 5 * Volume.GIB), new Volume("archive", Volume.GIB));
        Container postgres = db.containers().get(0);
        assertThat(postgres.mounts()).containsExactly(new Mount("data", "/var/lib/postgresql/data", false),
                new Mount("archive", "/archive", true));
        assertThat(postgres.secrets()).containsExactly(java.util.Map.entry("POSTGRES_PASSWORD", "db-password"));
        assertThat(postgres.environment()).containsOnlyKeys("PGDATA");
        assertThat(manifest.sources().at("services.db.containers.postgres.mounts[1]").line()).isEqualTo(29);
        assertThat(manifest.sources().at("services.db.volumes.data.size").line()).isEqualTo(49);
        assertThat(manifest.sources().at("services.db.containers.postgres.secrets.POSTGRES_PASSWORD").line()).isEqualTo(17);
        assertThat(String.join("\n", Fixtures.warnings(manifest)))
                .isEqualTo(Fixtures.expected(Fixtures.file("kubernetes/stateful"), "warnings.txt"));
    }

    @Test
    void refusesAMountOfAnUnknownPodVolumeAPathBoundTwiceAndAClaimOutOfRange() {
        Fixtures.assertFails("kubernetes/bad-storage", "app.yml");
    }

    @Test
    void recordsTheModelsPathsAtTheImportedLines() {
        SourceMap sources = ManifestReader.read(Fixtures.file("kubernetes/shop/shop.yml")).sources();
        assertThat(sources.at("services.web.containers.app.ports[0]").line()).isEqualTo(72);
        assertThat(sources.at("services.web.containers.proxy.ports[0]").line()).isEqualTo(74);
        assertThat(sources.at("services.web.containers.app.environment.PRICE").line()).isEqualTo(35);
        assertThat(sources.at("services.web.containers.app.capabilities[0]").line()).isEqualTo(54);
        assertThat(sources.at("services.web.public").line()).isEqualTo(68);
        assertThat(sources.at("services.db.containers.postgres.ports[0]").line()).isEqualTo(97);
        assertThat(sources.at("services.dns.replicas").line()).isEqualTo(105);
        assertThat(sources.at("name").line()).isEqualTo(12);
    }

    @Test
    void refusesADeploymentOfAnotherApiVersion() {
        Fixtures.assertFails("kubernetes/wrong-api-version", "deployment.yml");
    }

    @Test
    void refusesADeploymentWithoutContainers() {
        Fixtures.assertFails("kubernetes/no-containers", "deployment.yml");
    }

    @Test
    void namesTheApplicationAfterTheCommonPartOfLabelOutsideANamespace() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/part-of/app.yml"));
        assertThat(manifest.application().name()).isEqualTo("online-store");
        assertThat(manifest.warnings()).isEmpty();
    }

    @Test
    void namesTheApplicationAfterTheDirectoryWhenTheLabelsDiffer() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/Default_NS/app.yml"));
        assertThat(manifest.application().name()).isEqualTo("default-ns");
        assertThat(Fixtures.warnings(manifest)).containsExactly("app.yml:20:3: warning: metadata.labels: the "
                + "Deployments' app.kubernetes.io/part-of labels differ; the application is named after the directory");
    }

    @Test
    void keepsLiteralDollarBracesLiteral() {
        assertThat(KubernetesDeploymentReader.escapeLiteralBraces("a ${B} $${c} ${svc.port} ${x")).isEqualTo(
                "a $${B} $$${c} ${svc.port} $${x");
        assertThat(KubernetesDeploymentReader.escapeLiteralBraces("plain $HOME")).isEqualTo("plain $HOME");
    }

    @Test
    void environmentValuesNamingAServiceAsAHostBecomeUses() {
        Manifest manifest = ManifestReader.read(Fixtures.file("kubernetes/uses/shop.yml"));
        Service web = manifest.application().service("web").orElseThrow();

        assertThat(web.uses()).as("a bare name, host:port, a URL with the cluster's full name, a renamed Service; "
                + "never itself, another namespace, or a word that names no Service").containsExactly("api", "cache",
                "db", "search");
        assertThat(manifest.sources().at("services.web.uses[1]").line()).as("CACHE's line").isEqualTo(17);
        assertThat(Fixtures.warnings(manifest)).containsExactly(
                "shop.yml:19:15: warning: services.web.containers.web.environment.DATABASE_URL: \"db.shop.svc.cluster"
                        + ".local\" is Kubernetes' name for Service \"db\" of Deployment \"db\", which i2kit deploys as "
                        + "service \"db\": the name does not resolve under i2kit; write ${db.host} instead",
                "shop.yml:21:15: warning: services.web.containers.web.environment.SEARCH: \"search-svc\" is Kubernetes' "
                        + "name for Service \"search-svc\" of Deployment \"search\", which i2kit deploys as service "
                        + "\"search\": the name does not resolve under i2kit; write ${search.host} instead");
    }
}
