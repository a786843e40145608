package io.i2kit.provider.local.lb;

/** A snapshot of one backend: its state and the connections it serves right now. */
public record BackendStatus(String id, BackendState state, int activeConnections) {
}
