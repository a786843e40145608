package io.i2kit.yaml;

/**
 * Bounds that keep hostile input cheap to refuse. A manifest of 500 services with three containers
 * each is about 0.5 MiB and 40,000 nodes, far below every limit.
 *
 * @param maxBytes      largest file read at all
 * @param maxDepth      deepest nesting of lists and maps
 * @param maxNodes      nodes after expanding aliases; an alias bomb exceeds it long before memory does
 * @param maxAliases    alias uses in one file
 */
public record YamlLimits(long maxBytes, int maxDepth, long maxNodes, int maxAliases) {
    public static final YamlLimits DEFAULT = new YamlLimits(32L << 20, 64, 2_000_000, 10_000);
}
