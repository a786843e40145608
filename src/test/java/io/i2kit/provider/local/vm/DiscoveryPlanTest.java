package io.i2kit.provider.local.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.discovery.BootMetadata;
import io.i2kit.discovery.Discovery;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.testing.InlineManifest;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiscoveryPlanTest {
    @TempDir
    static Path dir;
    static Discovery shop;

    /** Every load balancer's socket for the VMs. */
    static final DiscoveryPlan.Targets TARGETS = (service, lbPort) ->
            new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/" + service + "-" + lbPort + ".sock"));

    @BeforeAll
    static void load() throws Exception {
        Path manifest = InlineManifest.app(dir, """
                name: shop
                services:
                  web:
                    public: true
                    uses: [api, cache]
                    containers:
                      web:
                        image: busybox:1.37
                        ports: [80, "tcp:8443:tcp:443"]
                  worker:
                    uses: [web, cache, api]
                    containers:
                      worker:
                        image: busybox:1.37
                  cache:
                    containers:
                      redis:
                        image: redis:7.2
                        ports: ["tcp:6379", "udp:5353"]
                  api:
                    containers:
                      a:
                        image: busybox:1.37
                        ports: [8080]
                      b:
                        image: busybox:1.37
                        ports: [9090]
                """);
        shop = Pipeline.validate(Pipeline.load(manifest, Optional.empty()));
    }

    private static Discovery validate(Path manifest) {
        return Pipeline.validate(Pipeline.load(manifest, Optional.empty()));
    }

    @Test
    void eachUsedServiceHasTheAddressOfItsIndexAmongWhatTheVmUsesInManifestOrder() {
        assertThat(DiscoveryPlan.of(shop, "worker", TARGETS).addresses())
                .containsExactly(entry("web", "10.0.2.100"), entry("cache", "10.0.2.101"), entry("api", "10.0.2.102"));
        assertThat(DiscoveryPlan.of(shop, "web", TARGETS).addresses()).as("each VM has a network of its own")
                .containsExactly(entry("cache", "10.0.2.100"), entry("api", "10.0.2.101"));
        assertThat(DiscoveryPlan.of(shop, "cache", TARGETS).addresses()).as("it uses nothing").isEmpty();
    }

    @Test
    void underDiscoveryAllEveryOtherServiceWithPortsIsReachable(@TempDir Path all) {
        Discovery everything = validate(InlineManifest.app(all, """
                name: shop
                discovery: all
                services:
                  web: {containers: {web: {image: "busybox:1.37", ports: [80]}}}
                  worker: {containers: {worker: {image: "busybox:1.37"}}}
                  cache: {containers: {redis: {image: "redis:7.2", ports: ["tcp:6379"]}}}
                """));
        assertThat(DiscoveryPlan.of(everything, "worker", TARGETS).addresses())
                .containsExactly(entry("web", "10.0.2.100"), entry("cache", "10.0.2.101"));
        assertThat(DiscoveryPlan.of(everything, "cache", TARGETS).addresses()).as("never itself")
                .containsExactly(entry("web", "10.0.2.100"));
    }

    /** What lets an up that adds a service replace no other VM: nobody else's forwards or metadata change. */
    @Test
    void aServiceNobodyUsesChangesNoOtherVmsPlan(@TempDir Path bigger) throws Exception {
        String manifest = java.nio.file.Files.readString(dir.resolve("i2kit.yml"));
        Discovery withAudit = validate(InlineManifest.app(bigger, manifest.replace("\n  worker:\n", """

                  audit:
                    containers:
                      audit:
                        image: busybox:1.37
                        ports: ["tcp:7000"]
                  worker:
                """)));
        for (String service : List.of("web", "worker", "cache", "api")) {
            assertThat(DiscoveryPlan.of(withAudit, service, TARGETS)).as(service)
                    .isEqualTo(DiscoveryPlan.of(shop, service, TARGETS));
        }
    }

    @Test
    void forwardsEveryTcpLoadBalancerPortToTheTargetTheCallerChose() {
        assertThat(DiscoveryPlan.of(shop, "worker", TARGETS).forwards()).containsExactly(
                new GuestForward("10.0.2.100", 80, new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/web-80.sock"))),
                new GuestForward("10.0.2.100", 8443, new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/web-8443.sock"))),
                new GuestForward("10.0.2.101", 6379, new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/cache-6379.sock"))),
                new GuestForward("10.0.2.102", 8080, new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/api-8080.sock"))),
                new GuestForward("10.0.2.102", 9090, new GuestForward.UnixSocket(Path.of("/run/i2kit/shop/api-9090.sock"))));
    }

    @Test
    void theMetadataMapsFullAndShortNamesAndSearchesTheApplicationsZone() {
        BootMetadata metadata = DiscoveryPlan.of(shop, "web", TARGETS).metadata();
        assertThat(metadata).isEqualTo(new BootMetadata("shop", "web", "shop.i2kit.internal", List.of(
                new BootMetadata.Host("10.0.2.100", List.of("cache.shop.i2kit.internal", "cache")),
                new BootMetadata.Host("10.0.2.101", List.of("api.shop.i2kit.internal", "api")))));
        assertThat(metadata.toJson()).contains(
                "\"hosts\":{\"content\":\"10.0.2.100 cache.shop.i2kit.internal cache\\n10.0.2.101 api.shop.i2kit.internal api\\n\"}");
    }

    @Test
    void aServiceThatUsesNothingGetsNoForwardsAndNoHosts() {
        DiscoveryPlan alone = DiscoveryPlan.of(shop, "cache", TARGETS);
        assertThat(alone.forwards()).isEmpty();
        assertThat(alone.metadata().hosts()).isEmpty();
        assertThat(alone.metadata().toJson()).doesNotContain("hosts");
    }

    @Test
    void anUnknownServiceIsRefused() {
        assertThatThrownBy(() -> DiscoveryPlan.of(shop, "nope", TARGETS))
                .hasMessage("application shop has no service nope");
    }

    private static java.util.Map.Entry<String, String> entry(String k, String v) {
        return java.util.Map.entry(k, v);
    }
}
