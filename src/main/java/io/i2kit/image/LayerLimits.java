package io.i2kit.image;

import io.i2kit.InvalidInputException;
import java.util.Map;

/**
 * How much one layer may unpack to: the bytes of its files and its number of entries. A gzip layer
 * of a few kilobytes can claim terabytes of zeros or millions of entries; the caps refuse it while
 * reading, before the disk or the memory fill. Set with {@value #BYTES_ENV} and {@value #ENTRIES_ENV}.
 */
public record LayerLimits(long maxBytes, long maxEntries) {
    public static final String BYTES_ENV = "I2KIT_MAX_LAYER_BYTES";
    public static final String ENTRIES_ENV = "I2KIT_MAX_LAYER_ENTRIES";
    /** 16 GiB and a million entries: far above any real layer, far below a full disk. */
    public static final LayerLimits DEFAULT = new LayerLimits(16L << 30, 1_000_000);

    public static LayerLimits fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    static LayerLimits fromEnvironment(Map<String, String> env) {
        return new LayerLimits(number(env, BYTES_ENV, DEFAULT.maxBytes), number(env, ENTRIES_ENV, DEFAULT.maxEntries));
    }

    private static long number(Map<String, String> env, String name, long fallback) {
        String text = env.get(name);
        if (text == null || text.isBlank()) {
            return fallback;
        }
        try {
            long value = Long.parseLong(text.strip());
            if (value > 0) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new InvalidInputException(name + ": expected a positive whole number, found \"" + text + "\"");
    }
}
