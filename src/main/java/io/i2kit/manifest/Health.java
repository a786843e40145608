package io.i2kit.manifest;

import java.time.Duration;

/**
 * How the load balancer decides that a VM serves. {@code port} is an instance port; {@code path}
 * applies to http checks only.
 */
public record Health(Kind protocol, int port, String path, Duration interval, Duration timeout,
                     int healthyThreshold, int unhealthyThreshold, Duration gracePeriod) {
    public enum Kind { HTTP, TCP }

    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);
    public static final int DEFAULT_HEALTHY = 2;
    public static final int DEFAULT_UNHEALTHY = 3;
    /** A VM booted without KVM takes up to ~15 s; a cloud VM about a minute. */
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(120);

    /**
     * The check a service gets when its manifest says nothing: its first port that is not udp,
     * over http when that port speaks http. A service with only udp ports has no default check: a
     * udp port cannot be checked by connecting to it.
     */
    public static java.util.Optional<Health> defaultFor(java.util.List<Port> ports) {
        return ports.stream().filter(p -> p.instanceProtocol() != Protocol.UDP).findFirst().map(first -> {
            Kind kind = first.instanceProtocol() == Protocol.HTTP ? Kind.HTTP : Kind.TCP;
            return new Health(kind, first.instancePort(), kind == Kind.HTTP ? "/" : null,
                    DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY, DEFAULT_UNHEALTHY, DEFAULT_GRACE);
        });
    }
}
