package io.i2kit.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretResolverTest {
    private static final String SET = "i2kit secret set -f examples/polls";
    @TempDir
    Path dir;

    private static SortedMap<String, SortedSet<String>> readers(String... secretAndServices) {
        SortedMap<String, SortedSet<String>> readers = new TreeMap<>();
        for (String s : secretAndServices) {
            String[] parts = s.split(":");
            readers.put(parts[0], new TreeSet<>(java.util.List.of(parts[1].split(","))));
        }
        return readers;
    }

    @Test
    void anUnsetSecretFailsWithTheCommandThatSetsIt() {
        LocalSecretStore store = new LocalSecretStore(dir);
        assertThatThrownBy(() -> SecretResolver.resolve(readers("polls-db-password:db,worker"), Map.of(), store, true, SET))
                .isInstanceOf(InvalidInputException.class)
                .hasMessage("secret polls-db-password is not set (read by services db, worker); set it with: "
                        + "i2kit secret set -f examples/polls polls-db-password");
        assertThatThrownBy(() -> SecretResolver.resolve(readers("a:db", "b:web"), Map.of(), store, false, SET))
                .hasMessage("2 secrets are not set:\n"
                        + "  secret a is not set (read by service db); set it with: i2kit secret set -f examples/polls a\n"
                        + "  secret b is not set (read by service web); set it with: i2kit secret set -f examples/polls b");
    }

    @Test
    void upGeneratesWhatIsDeclaredWithGenerateAndPlanOnlySaysSo() {
        LocalSecretStore store = new LocalSecretStore(dir);
        store.set("api", "k".getBytes(StandardCharsets.UTF_8));
        store.set("api", "k2".getBytes(StandardCharsets.UTF_8));

        SecretResolver.Resolution plan = SecretResolver.resolve(readers("api:web", "db-password:db"),
                Map.of("db-password", 32), store, false, SET);
        assertThat(plan.versions()).isEqualTo(Map.of("api", 2L, "db-password", 1L));
        assertThat(plan.toGenerate()).containsExactly("db-password");
        assertThat(store.read("db-password")).as("a plan generates nothing").isEmpty();

        SecretResolver.Resolution up = SecretResolver.resolve(readers("api:web", "db-password:db"),
                Map.of("db-password", 32), store, true, SET);
        assertThat(up.generated()).extracting(SecretInfo::name, SecretInfo::version).containsExactly(
                org.assertj.core.groups.Tuple.tuple("db-password", 1L));
        assertThat(up.versions()).isEqualTo(Map.of("api", 2L, "db-password", 1L));
        assertThat(new String(store.read("db-password").orElseThrow().value(), StandardCharsets.US_ASCII))
                .matches("[A-Za-z0-9_-]{32}");

        SecretResolver.Resolution again = SecretResolver.resolve(readers("db-password:db"), Map.of("db-password", 32),
                store, true, SET);
        assertThat(again.generated()).as("a set secret is never generated again").isEmpty();
        assertThat(again.versions()).isEqualTo(Map.of("db-password", 1L));
    }

    @Test
    void randomValuesUseTheWholeAlphabet() {
        java.util.Set<Character> seen = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            for (byte b : SecretResolver.random(32)) {
                seen.add((char) b);
            }
        }
        assertThat(seen).hasSize(64);
        assertThat(SecretResolver.random(32)).isNotEqualTo(SecretResolver.random(32));
    }
}
