package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.i2kit.pipeline.Pipeline;
import io.i2kit.yaml.Problem;
import io.i2kit.yaml.SourceMap;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComposeImporterTest {
    @Test
    void normalisesAComposeFile() {
        Manifest manifest = ManifestReader.read(Fixtures.file("compose/polls/compose.yml"));
        Application app = manifest.application();

        assertThat(manifest.format()).isEqualTo(Manifest.Format.COMPOSE);
        assertThat(app.name()).isEqualTo("polls-app");
        assertThat(app.services()).extracting(Service::name).containsExactly("web", "db", "metrics");

        Service web = app.service("web").orElseThrow();
        assertThat(web.replicas()).isEqualTo(2);
        assertThat(web.isPublic()).isTrue();
        assertThat(web.containers()).extracting(Container::name).containsExactly("web");
        Container c = web.containers().get(0);
        assertThat(c.image()).hasToString("ghcr.io/acme/polls-web:2.0");
        assertThat(c.entrypoint()).containsExactly("/usr/bin/tini", "--");
        assertThat(c.command()).containsExactly("gunicorn", "-b", "0.0.0.0:8000", "polls.wsgi");
        assertThat(c.environment()).containsExactly(
                Map.entry("DATABASE_URL", "postgres://${db.host}:${db.port}/polls"),
                Map.entry("PRICE", "$5"),
                Map.entry("TEMPLATE", "$${name}"));
        assertThat(c.ports()).extracting(Port::toString).containsExactly("http:80:http:8000", "tcp:9000:tcp:9000");
        assertThat(c.capabilities()).containsExactly("NET_ADMIN");
        assertThat(c.capDrop()).containsExactly("ALL");
        assertThat(c.readonly()).isTrue();
        assertThat(c.user()).contains("1000:1000");
        assertThat(c.workingDir()).contains("/app");
        assertThat(c.binds()).containsExactly("/srv/polls/static:/app/static:ro");
        assertThat(web.health()).hasValueSatisfying(h -> {
            assertThat(h.protocol()).isEqualTo(Health.Kind.HTTP);
            assertThat(h.port()).isEqualTo(8000);
        });

        Service db = app.service("db").orElseThrow();
        assertThat(db.replicas()).isEqualTo(1);
        assertThat(db.isPublic()).isFalse();
        Container postgres = db.containers().get(0);
        assertThat(postgres.image()).hasToString("docker.io/library/postgres:16");
        assertThat(postgres.environment()).containsExactly(
                Map.entry("POSTGRES_DB", "polls"), Map.entry("POSTGRES_PASSWORD", "secret"));
        assertThat(postgres.ports()).extracting(Port::toString).containsExactly("tcp:5432:tcp:5432");
        assertThat(postgres.binds()).containsExactly("/srv/polls/db:/var/lib/postgresql/data");

        Service metrics = app.service("metrics").orElseThrow();
        assertThat(metrics.isPublic()).isTrue();
        assertThat(metrics.ports()).extracting(Port::toString).containsExactly("udp:8125:udp:8125");
    }

    @Test
    void warnsAboutEveryFieldItCannotHonour() {
        Manifest manifest = ManifestReader.read(Fixtures.file("compose/polls/compose.yml"));
        assertThat(String.join("\n", Fixtures.warnings(manifest)))
                .isEqualTo(Fixtures.expected(Fixtures.file("compose/polls"), "warnings.txt"));
    }

    @Test
    void namedVolumesBecomeVolumesOfEachServiceAndSecretsBecomeContainerSecrets() {
        Manifest manifest = ManifestReader.read(Fixtures.file("compose/stateful/compose.yml"));
        Service db = manifest.application().service("db").orElseThrow();
        assertThat(db.volumes()).containsExactly(new Volume("db-data", Volume.GIB), new Volume("backups", Volume.GIB));
        Container c = db.containers().get(0);
        assertThat(c.mounts()).containsExactly(new Mount("db-data", "/var/lib/postgresql/data", false),
                new Mount("backups", "/backups", true));
        assertThat(c.secrets()).containsExactly(Map.entry("DB_PASSWORD", "db-password"), Map.entry("API_KEY", "api.key"));
        Service backup = manifest.application().service("backup").orElseThrow();
        assertThat(backup.volumes()).containsExactly(new Volume("backups", Volume.GIB));
        assertThat(backup.containers().get(0).mounts()).containsExactly(new Mount("backups", "/backups", false));
        assertThat(manifest.sources().at("services.db.containers.db.mounts[1]").line()).isEqualTo(7);
        assertThat(manifest.sources().at("services.db.containers.db.secrets.API_KEY").line()).isEqualTo(13);
        assertThat(manifest.sources().at("services.db.volumes.db-data").line()).isEqualTo(6);
        assertThat(String.join("\n", Fixtures.warnings(manifest)))
                .isEqualTo(Fixtures.expected(Fixtures.file("compose/stateful"), "warnings.txt"));
    }

    @Test
    void aPathBoundTwiceOrAVariableSetTwiceIsAnErrorAtTheComposeLine() {
        Fixtures.assertFails("compose/bound-twice", "compose.yml");
    }

    @Test
    void refusesVolumesAndSecretsThatAreNotDeclared() {
        Fixtures.assertFails("compose/undeclared-storage", "compose.yml");
    }

    @Test
    void recordsTheModelsPathsAtTheImportedLines() {
        SourceMap sources = ManifestReader.read(Fixtures.file("compose/polls/compose.yml")).sources();
        assertThat(sources.at("name").line()).isEqualTo(2);
        assertThat(sources.at("services.web.containers.web.ports[1]").line()).isEqualTo(15);
        assertThat(sources.at("services.web.containers.web.environment.PRICE").line()).isEqualTo(11);
        assertThat(sources.at("services.web.containers.web.capabilities[0]").line()).isEqualTo(25);
        assertThat(sources.at("services.web.containers.web.binds[0]").line()).isEqualTo(31);
        assertThat(sources.at("services.web.replicas").line()).isEqualTo(21);
        assertThat(sources.at("services.db.containers.db.environment.POSTGRES_DB").line()).isEqualTo(37);
        assertThat(sources.at("services.db.containers.db.ports[0]").line()).isEqualTo(40);
    }

    @Test
    void namesTheApplicationAfterItsDirectoryWithoutName() {
        Manifest manifest = ManifestReader.read(Fixtures.file("compose/My_Project.v2/docker-compose.yml"));
        assertThat(manifest.application().name()).isEqualTo("my-project-v2");
        assertThat(manifest.warnings()).isEmpty();
    }

    @Test
    void refusesAServiceThatOnlyBuilds() {
        Fixtures.assertFails("compose/build-only", "compose.yml");
    }

    @Test
    void refusesPortRanges() {
        Fixtures.assertFails("compose/port-range", "compose.yml");
    }

    @Test
    void refusesVariablesOfTheHostButKeepsI2kitPlaceholders() {
        Fixtures.assertFails("compose/host-variables", "compose.yml");
    }

    @Test
    void aValidatorErrorPointsAtTheComposeLine() {
        Path file = Fixtures.file("compose/polls/compose.yml");
        Manifest manifest = ManifestReader.read(file);
        Application broken = manifest.application().withServices(manifest.application().services().stream()
                .map(s -> s.name().equals("web") ? s.withContainers(s.containers().stream()
                        .map(c -> c.withEnvironment(Map.of("1BAD", "x"))).toList()) : s).toList());
        Problems problems = new Problems();
        ManifestValidator.validate(broken, Target.LOCAL, manifest.sources(), problems);
        ManifestException e = catchThrowableOfType(ManifestException.class, () -> problems.throwIfErrors(file.toString()));
        assertThat(e.problems()).extracting(Problem::toString).anySatisfy(p -> assertThat(p)
                .startsWith(file + ":4:3: error: services.web.containers.web.environment.1BAD"));
    }

    @Test
    void dependsOnAndLinksBecomeUses() {
        Manifest manifest = ManifestReader.read(Fixtures.file("compose/uses/compose.yml"));
        Application app = manifest.application();

        assertThat(app.service("web").orElseThrow().uses()).as("list form, then links; each once")
                .containsExactly("api", "cache", "search");
        assertThat(app.service("api").orElseThrow().uses()).as("long form").containsExactly("db", "cache");
        assertThat(app.service("db").orElseThrow().uses()).isEmpty();
        assertThat(app.service("search").orElseThrow().uses()).as("a value naming a service as its host, even a "
                + "word that happens to be one (it is only announced); never itself").containsExactly("db", "cache");
        assertThat(manifest.sources().at("services.web.uses[2]").line()).as("the link's line").isEqualTo(11);
        assertThat(Fixtures.warnings(manifest)).containsExactly(
                "compose.yml:11:9: warning: services.web.links[1]: the alias \"finder\" is not supported: the service "
                        + "is reached as search (or through its discovery variables)",
                "compose.yml:17:9: warning: services.api.depends_on.db.condition: service_healthy is not waited for: "
                        + "i2kit starts services together; db is announced to this service, which should retry until "
                        + "it answers",
                "compose.yml:18:9: warning: services.api.depends_on.db.restart: not supported by i2kit's compose "
                        + "importer; ignored");
    }

    @Test
    void aServiceIsAnnouncedToTheServicesThatDependOnIt() {
        io.i2kit.discovery.Discovery discovery = Pipeline.validate(
                Pipeline.load(Fixtures.file("compose/uses/compose.yml"), java.util.Optional.empty()));
        Service web = discovery.application().service("web").orElseThrow();

        assertThat(discovery.environment(web, web.containers().get(0)))
                .containsKeys("API_HOST", "CACHE_PORT", "SEARCH_ENDPOINT").doesNotContainKeys("DB_HOST", "WEB_HOST");
    }

    @Test
    void anUnknownServiceInDependsOnIsAnErrorAtItsLine(@org.junit.jupiter.api.io.TempDir Path dir) {
        Path file = io.i2kit.testing.InlineManifest.file(dir, "compose.yml", """
                name: shop
                services:
                  web:
                    image: nginx
                    depends_on: [dbb]
                    links: ["web"]
                  db:
                    image: postgres:16
                    expose: ["5432"]
                """);
        ManifestException e = catchThrowableOfType(ManifestException.class,
                () -> Pipeline.validate(Pipeline.load(file, java.util.Optional.empty())));
        assertThat(e.problems()).extracting(Problem::toString).containsExactly(
                file + ":5:18: error: services.web.uses[0]: unknown service \"dbb\"; did you mean \"db\"?",
                file + ":6:13: error: services.web.uses[1]: a service does not use itself: the containers of its pod "
                        + "reach each other on localhost");
    }
}
