package io.i2kit.provider.local.lb;

/**
 * A backend changed state. {@code reason} says why in words a user can act on (the health check's
 * last answer, a drain's outcome); {@code from} is null when the backend was just added.
 */
public record BackendEvent(String service, String backendId, BackendState from, BackendState to, String reason) {
}
