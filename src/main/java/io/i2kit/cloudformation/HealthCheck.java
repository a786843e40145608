package io.i2kit.cloudformation;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import java.time.Duration;
import java.util.Optional;

/**
 * A target group's health check, fitted to what Elastic Load Balancing accepts: interval 5–300 s,
 * timeout 2–120 s and shorter than the interval, thresholds 2–10 (the same ranges for ALB and NLB
 * since NLB checks became configurable). The manifest allows wider ranges because the local
 * provider honours them exactly. A service has one check, used by all of its target groups: it
 * tells whether the VM serves, whichever port a request came in on.
 */
record HealthCheck(String protocol, int port, Optional<String> path, int intervalSeconds, int timeoutSeconds,
                   int healthyThreshold, int unhealthyThreshold, Optional<String> matcher) {
    private static final String SUCCESS_CODES = "200-399";
    /** Any HTTP answer, which is the closest an ALB comes to "the port accepts connections". */
    private static final String ANY_ANSWER = "200-499";

    static HealthCheck of(Service service, LoadBalancing.Type type) {
        Health health = service.health().or(() -> Health.defaultFor(service.ports())).orElseThrow(
                () -> new IllegalArgumentException("service " + service.name() + " has no port to check"));
        int interval = clamp(seconds(health.interval()), 5, 300);
        int timeout = clamp(Math.min(seconds(health.timeout()), interval - 1), 2, 120);
        int healthy = clamp(health.healthyThreshold(), 2, 10);
        int unhealthy = clamp(health.unhealthyThreshold(), 2, 10);
        if (health.protocol() == Health.Kind.HTTP) {
            String protocol = speaksTls(service, health.port()) ? "HTTPS" : "HTTP";
            return new HealthCheck(protocol, health.port(), Optional.ofNullable(health.path()).or(() -> Optional.of("/")),
                    interval, timeout, healthy, unhealthy, Optional.of(SUCCESS_CODES));
        }
        if (type == LoadBalancing.Type.APPLICATION) {
            // An ALB cannot check TCP; an HTTP service that answers at all is up.
            return new HealthCheck("HTTP", health.port(), Optional.of("/"), interval, timeout, healthy, unhealthy,
                    Optional.of(ANY_ANSWER));
        }
        return new HealthCheck("TCP", health.port(), Optional.empty(), interval, timeout, healthy, unhealthy,
                Optional.empty());
    }

    private static boolean speaksTls(Service service, int instancePort) {
        return service.ports().stream()
                .filter(p -> p.instancePort() == instancePort && p.instanceProtocol() != Protocol.UDP)
                .map(Port::instanceProtocol)
                .anyMatch(p -> p == Protocol.HTTPS || p == Protocol.TLS);
    }

    private static int seconds(Duration duration) {
        long whole = duration.getSeconds() + (duration.getNano() > 0 ? 1 : 0);
        return (int) Math.min(whole, Integer.MAX_VALUE);
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }
}
