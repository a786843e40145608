package io.i2kit.provider.local.lb;

/** Where a backend is in its life behind the load balancer; only HEALTHY receives new connections. */
public enum BackendState {
    /** Registered; its health check has not passed healthy-threshold times yet. */
    STARTING,
    HEALTHY,
    /** Failed its check unhealthy-threshold times; comes back after healthy-threshold passes. */
    UNHEALTHY,
    /** Being removed: no new connections, existing ones may finish. */
    DRAINING;

    public boolean inService() {
        return this == HEALTHY;
    }
}
