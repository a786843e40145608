package io.i2kit.provider.local.scaling;

/**
 * A target-tracking policy on CPU, as AWS's: keep the service's average CPU near {@code targetPercent}
 * with between {@code min} and {@code max} replicas.
 */
public record TargetTracking(int min, int max, int targetPercent) {
    public TargetTracking {
        if (min < 1 || max < min) {
            throw new IllegalArgumentException("a scaling range needs 1 <= min <= max, not " + min + ".." + max);
        }
        if (targetPercent < 1 || targetPercent > 100) {
            throw new IllegalArgumentException("a CPU target is 1 to 100 percent, not " + targetPercent);
        }
    }

    /**
     * The replicas that bring {@code replicas} replicas, averaging {@code averagePercent}, to the
     * target: {@code ceil(replicas × average / target)}, within [min, max]. (A hair of tolerance
     * keeps 2 × 50 / 50 from rounding up to 3 through floating point.)
     */
    public int desired(int replicas, double averagePercent) {
        double exact = replicas * averagePercent / targetPercent;
        return clamp((int) Math.ceil(exact - 1e-9));
    }

    public int clamp(int replicas) {
        return Math.max(min, Math.min(max, replicas));
    }
}
