package io.i2kit.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.event.Events;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Release;
import io.i2kit.provider.Reports;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** The release stage asks the provider first: what cannot work on the target fails before anything is built. */
class PipelineTest {
    private static final Path POLLS = Path.of("src/test/resources/manifests/valid/polls");
    @org.junit.jupiter.api.io.TempDir
    Path tmp;

    private Pipeline.Secrets secrets() {
        return new Pipeline.Secrets(new io.i2kit.secret.LocalSecretStore(tmp.resolve("secrets")), "i2kit secret set -f polls");
    }

    /** An application whose one container reads the secret db-password, after {@code declarations}. */
    private Pipeline.Loaded readingDbPassword(String dir, String declarations) {
        Path app = io.i2kit.testing.InlineManifest.app(tmp.resolve(dir), "name: s\n" + declarations + """
                services:
                  db:
                    containers:
                      db:
                        image: redis:7
                        secrets: {REDIS_PASSWORD: db-password}
                """);
        return Pipeline.load(app, Optional.empty());
    }

    /** Refuses in check and records what it was asked. */
    private static final class RefusingProvider implements Provider {
        final List<String> calls = new ArrayList<>();
        Release checked;

        @Override
        public Needs needs() {
            calls.add("needs");
            return new Needs(false);
        }

        @Override
        public void check(Release release, Optional<UpOptions> up, Events events) {
            calls.add("check " + up.map(o -> o.accelerator()).orElse("plan"));
            checked = release;
            throw new I2kitException("no QEMU here");
        }

        @Override
        public Reports.Plan plan(Release release, Events events) {
            throw new AssertionError("plan after a refusal");
        }

        @Override
        public Reports.Deployment up(Release release, UpOptions options, Events events) {
            throw new AssertionError("up after a refusal");
        }

        @Override
        public Reports.Status status(String application, Events events) {
            throw new AssertionError();
        }

        @Override
        public void logs(LogsRequest request, Consumer<Reports.LogLine> lines, Events events) {
            throw new AssertionError();
        }

        @Override
        public Reports.Removal down(DownRequest request, Events events) {
            throw new AssertionError();
        }
    }

    @Test
    void upAsksTheProviderBeforeBuildingAndStopsAtItsRefusal() {
        RefusingProvider provider = new RefusingProvider();
        Pipeline.Loaded loaded = Pipeline.load(POLLS, Optional.empty());

        assertThatThrownBy(() -> Pipeline.up(loaded, provider, secrets(), new Provider.UpOptions("tcg", java.time.Duration.ZERO,
                false, d -> { }), Events.NONE)).isInstanceOf(I2kitException.class).hasMessage("no QEMU here");

        assertThat(provider.calls).containsExactly("check tcg");
        assertThat(provider.checked.application()).isEqualTo("polls");
        assertThat(provider.checked.images()).as("nothing built yet").isEmpty();
        assertThat(provider.checked.templates()).as("templates are rendered, for the provider to check").isNotEmpty();
    }

    @Test
    void aPlanIsCheckedWithoutUpOptions() {
        RefusingProvider provider = new RefusingProvider();

        assertThatThrownBy(() -> Pipeline.plan(Pipeline.load(POLLS, Optional.empty()), provider, secrets(), Events.NONE))
                .hasMessage("no QEMU here");
        assertThat(provider.calls).containsExactly("check plan");
    }

    @Test
    void anUnsetSecretStopsPlanAndUpBeforeTheProviderIsAsked() {
        RefusingProvider provider = new RefusingProvider();
        Pipeline.Loaded loaded = readingDbPassword("app", "");

        assertThatThrownBy(() -> Pipeline.plan(loaded, provider, secrets(), Events.NONE))
                .isInstanceOf(io.i2kit.InvalidInputException.class)
                .hasMessage("secret db-password is not set (read by service db); set it with: i2kit secret set -f polls db-password");
        assertThat(provider.calls).isEmpty();

        secrets().store().set("db-password", new byte[] {'x'});
        secrets().store().set("db-password", new byte[] {'y'});
        assertThatThrownBy(() -> Pipeline.plan(loaded, provider, secrets(), Events.NONE)).hasMessage("no QEMU here");
        assertThat(provider.checked.secretVersions()).isEqualTo(java.util.Map.of("db-password", 2L));
        assertThat(provider.checked.secrets("db")).containsExactly(
                new io.i2kit.discovery.BootMetadata.SecretVersion("db-password", 2));
    }

    @Test
    void aSecretDeclaredWithGenerateIsMadeByUpNotByPlan() {
        RefusingProvider provider = new RefusingProvider();
        Pipeline.Loaded loaded = readingDbPassword("generated", "secrets:\n  db-password: {generate: true, length: 40}\n");
        io.i2kit.secret.LocalSecretStore store = (io.i2kit.secret.LocalSecretStore) secrets().store();

        assertThatThrownBy(() -> Pipeline.plan(loaded, provider, secrets(), Events.NONE)).hasMessage("no QEMU here");
        assertThat(store.read("db-password")).as("a plan generates nothing").isEmpty();

        assertThatThrownBy(() -> Pipeline.up(loaded, provider, secrets(), new Provider.UpOptions("tcg",
                java.time.Duration.ZERO, false, d -> { }), Events.NONE)).hasMessage("no QEMU here");
        assertThat(store.read("db-password")).hasValueSatisfying(c -> {
            assertThat(c.version()).isEqualTo(1);
            assertThat(c.value()).hasSize(40);
        });
        assertThat(provider.checked.secretVersions()).isEqualTo(java.util.Map.of("db-password", 1L));
    }
}
