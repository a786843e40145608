package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code logs} on a real VM whose two containers print a line a second: {@code --follow
 * --container alpha} prints alpha's new lines as they come and none of beta's, and {@code --since}
 * starts at the supervisor's console marks, so it shows the last seconds and not the whole console.
 * One boot.
 */
class LogsFollowIT {
    @TempDir
    static Path dir;
    static Path home;
    static Path app;

    @BeforeAll
    static void setUp() throws Exception {
        home = BootstrappedHome.get().root();
        app = Files.createDirectories(dir.resolve("lf"));
        String web = "oci:" + BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci") + ":latest";
        Files.writeString(app.resolve("i2kit.yml"), """
                name: lf
                services:
                  talk:
                    resources: {memory: 128M}
                    containers:
                      alpha:
                        image: %1$s
                        command: [/bin/sh, -c, "i=0; while true; do i=$((i+1)); echo alpha $i; sleep 1; done"]
                      beta:
                        image: %1$s
                        command: [/bin/sh, -c, "i=0; while true; do i=$((i+1)); echo beta $i; sleep 1; done"]
                """.formatted(web));
        Cli.run(home, "up", "-f", app.toString()).assertSuccess();
    }

    @AfterAll
    static void down() throws Exception {
        Cli.run(home, "down", "-f", app.toString());
    }

    @Test
    void followPrintsOneContainersNewLinesAndSinceShowsOnlyTheLastSeconds() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        Path err = dir.resolve("follow.err");
        ProcessBuilder builder = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Cli.JAR.toString(), "logs", "-f", app.toString(), "talk", "--follow", "--container", "alpha")
                .redirectError(err.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        builder.environment().put("I2KIT_HOME", home.toString());
        Process follow = builder.start();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = out.readLine(); line != null; line = out.readLine()) {
                    lines.add(line);
                }
            } catch (java.io.IOException e) {
                // the process was ended
            }
        });
        reader.start();
        try {
            awaitAlpha(lines, 3, Duration.ofMinutes(4), err);
            int seen = lines.size();
            awaitAlpha(lines, seen + 3, Duration.ofSeconds(30), err);
        } finally {
            follow.destroy();
            follow.waitFor(10, TimeUnit.SECONDS);
            reader.join(5_000);
        }
        assertThat(lines).isNotEmpty().allMatch(l -> l.matches("\\[talk-g\\d+-r\\d+] \\[alpha] alpha \\d+"),
                "only alpha's lines, prefixed with the VM and the container");
        List<Integer> counters = new ArrayList<>();
        lines.forEach(l -> counters.add(Integer.parseInt(l.substring(l.lastIndexOf(' ') + 1))));
        assertThat(counters).as("each line once, in order, as followed").isSorted().doesNotHaveDuplicates();

        // enough of beta's console for the last seconds to be a small part of it
        Instant deadline = Instant.now().plus(Duration.ofMinutes(2));
        Cli.Run all = Cli.run(home, "logs", "-f", app.toString(), "talk", "--container", "beta").assertSuccess();
        while (all.out().lines().count() < 20 && Instant.now().isBefore(deadline)) {
            Thread.sleep(2_000);
            all = Cli.run(home, "logs", "-f", app.toString(), "talk", "--container", "beta").assertSuccess();
        }
        Cli.Run recent = Cli.run(home, "logs", "-f", app.toString(), "talk", "--container", "beta", "--since", "6s")
                .assertSuccess();
        long allBeta = all.out().lines().count();
        long recentBeta = recent.out().lines().count();
        assertThat(all.out().lines()).allMatch(l -> l.matches("\\[talk-g\\d+-r\\d+] \\[beta] beta \\d+"));
        assertThat(recentBeta).as("the last 6 s of a line a second, and at most a reconcile period (2 s) more")
                .isBetween(1L, 6L + 2L + 2L);
        assertThat(allBeta).as("the whole console holds more").isGreaterThanOrEqualTo(20).isGreaterThan(recentBeta);
    }

    private static void awaitAlpha(List<String> lines, int count, Duration timeout, Path err) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (lines.size() < count && Instant.now().isBefore(deadline)) {
            Thread.sleep(500);
        }
        assertThat(lines).as("lines followed within %s; logs said: %s", timeout, Files.readString(err))
                .hasSizeGreaterThanOrEqualTo(count);
    }
}
