package io.i2kit.provider.local.lb;

/**
 * Receives what the load balancer does to its backends; the core never prints, the CLI renders these.
 * Called from the health checker's threads or the caller's, so implementations must be thread-safe and quick.
 */
@FunctionalInterface
public interface LoadBalancerListener {
    LoadBalancerListener NONE = event -> { };

    void backendChanged(BackendEvent event);
}
