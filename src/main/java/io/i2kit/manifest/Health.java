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

    /** The check a service gets when its manifest says nothing: its first port, over http when it speaks http. */
    public static java.util.Optional<Health> defaultFor(java.util.List<Port> ports) {
        if (ports.isEmpty()) {
            return java.util.Optional.empty();
        }
        Port first = ports.get(0);
        Kind kind = first.instanceProtocol() == Protocol.HTTP ? Kind.HTTP : Kind.TCP;
        return java.util.Optional.of(new Health(kind, first.instancePort(), kind == Kind.HTTP ? "/" : null,
                DEFAULT_INTERVAL, DEFAULT_TIMEOUT, DEFAULT_HEALTHY, DEFAULT_UNHEALTHY, DEFAULT_GRACE));
    }
}
