package io.i2kit.provider.local.lb;

/** Told when a watched backend crosses a threshold; called on a health-check thread. */
@FunctionalInterface
public interface HealthListener {
    void healthChanged(String backendId, boolean healthy, ProbeResult last);
}
