package io.i2kit.manifest;

/** The size of each VM of a service. */
public record Resources(int memoryMiB, int cpus) {
    /** Boots Debian's cloud kernel with room for a small pod (the kernel alone needs about 96 MiB). */
    public static final Resources DEFAULT = new Resources(256, 1);
    public static final int MIN_MEMORY_MIB = 96;
    public static final int MAX_MEMORY_MIB = 262_144;
    public static final int MAX_CPUS = 64;
}
