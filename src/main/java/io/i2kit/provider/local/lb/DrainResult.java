package io.i2kit.provider.local.lb;

/**
 * How a drain ended: {@code drained} when every connection finished on its own before the timeout;
 * otherwise {@code cut} connections were closed by the load balancer.
 */
public record DrainResult(String backendId, boolean drained, int cut) {
}
