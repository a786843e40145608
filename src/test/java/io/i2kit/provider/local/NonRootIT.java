package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.testing.BootstrappedHome;
import io.i2kit.testing.Cli;
import io.i2kit.testing.Commands;
import io.i2kit.testing.InlineManifest;
import io.i2kit.testing.OtherUser;
import io.i2kit.testing.OwnerOnlyTree;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code i2kit up} as a user who is not root (the suite runs as root, so the test switches to a
 * uid of its own with {@code setpriv}): each VM in a user namespace of the user's, a public port
 * the user may not bind (80) falling back to a free one, a TCP health check that reads QEMU's
 * connections in {@code /proc} across that namespace, and after {@code down} nothing of root's in
 * the home and no process of the user's. The home gets a copy of the shared bootstrap's store, so
 * nothing is bootstrapped again; one VM boots.
 */
class NonRootIT {
    /** What the shared home holds that an up needs: the base packages and their index. */
    private static final List<String> STORE = List.of("blobs", "index.json", "oci-layout");

    @Test
    void anUnprivilegedUserRunsAPublicServiceOnAFreePortAndLeavesNothingBehind() throws Exception {
        OtherUser user = OtherUser.free(61200);
        Optional<String> userns = user.userNamespaceProblem();
        assumeTrue(userns.isEmpty(), () -> "ASSUMPTION NOT MET, the non-root path is untested on this host:"
                + " unprivileged user namespaces are unavailable (unshare --user --net as uid " + user.uid() + ": "
                + userns.orElse("") + "). i2kit needs them for users other than root; see the README, 'Without root'.");
        Path shared = BootstrappedHome.get().root();
        Path base = user.ownedDirectory("i2kit-nonroot");
        try {
            Path home = Files.createDirectories(base.resolve("home"));
            for (String entry : STORE) {
                Commands.run("cp", "-a", shared.resolve(entry).toString(), home.toString());
            }
            Path image = base.resolve("web-oci");
            Commands.run("cp", "-a", BootstrappedHome.EXAMPLE_IMAGES.resolve("web/oci").toString(), image.toString());
            Path app = InlineManifest.app(base.resolve("nonroot"), """
                    name: nonroot
                    services:
                      web:
                        public: true
                        resources: {memory: 160M}
                        health: {protocol: tcp, interval: 1s, timeout: 900ms, healthy_threshold: 1}
                        containers:
                          web: {image: "oci:%s:latest", ports: [80]}
                    """.formatted(image));
            user.chown(base);
            Map<String, String> env = Map.of("HOME", base.toString());

            Cli.Run up = Cli.runAs(user.command(), home, env, "up", "-f", app.toString()).assertSuccess();
            JsonNode status = new ObjectMapper().readTree(Cli.runAs(user.command(), home, env, "status", "-f",
                    app.toString(), "--output", "json").assertSuccess().out());
            JsonNode web = status.path("services").get(0);
            String endpoint = web.path("endpoints").path("80").asText();
            int port = Integer.parseInt(endpoint.substring(endpoint.lastIndexOf(':') + 1));
            if (unprivilegedPortStart() > 80) {
                assertThat(port).as("the host port of manifest port 80, which this user may not bind").isNotEqualTo(80);
            }
            assertThat(up.out() + up.err()).as("up prints where the service answers").contains(endpoint);
            assertThat(web.path("running").get(0).path("health").asText()).as("the TCP check, through /proc of a QEMU"
                    + " in the user's namespace").isEqualTo("healthy");
            HttpResponse<String> page = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()
                    .send(HttpRequest.newBuilder(URI.create("http://" + endpoint + "/")).timeout(Duration.ofSeconds(10))
                            .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(page.statusCode()).as("GET / on the fallback port").isEqualTo(200);
            assertThat(OwnerOnlyTree.offenders(home.resolve("apps/nonroot"))).as("not the owner's only").isEmpty();

            Cli.runAs(user.command(), home, env, "down", "-f", app.toString()).assertSuccess();
            assertThat(user.notOwned(home)).as("what in the home the user does not own").isEmpty();
            assertThat(leftOver(user)).as("processes of the user after down").isEmpty();
        } finally {
            user.killAll();
            OtherUser.delete(base);
        }
    }

    /** The user's processes, with their command lines, once those that are ending have had a few seconds. */
    private static List<String> leftOver(OtherUser user) throws InterruptedException {
        for (int i = 0; i < 50 && !user.processes().isEmpty(); i++) {
            Thread.sleep(200);
        }
        return user.processes().stream().map(p -> p.pid() + " " + p.info().commandLine().orElse("?")).toList();
    }

    private static int unprivilegedPortStart() throws java.io.IOException {
        return Integer.parseInt(Files.readString(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start")).strip());
    }
}
