package io.i2kit.image.disk;

/**
 * Where things are on a FAT32 volume of a given size: 512-byte sectors, reserved sectors (boot
 * sector, FSInfo, their backups), two FATs, then the clusters, the first of which is cluster 2.
 * The data area starts on a cluster boundary so 4 KiB clusters stay page-aligned on the disk.
 */
record Fat32Geometry(long totalSectors, int sectorsPerCluster, int reservedSectors, long fatSectors,
        long clusterCount) {
    static final int SECTOR = 512;
    /** Below this many clusters a volume is FAT16 by definition, whatever its boot sector says. */
    static final long MIN_CLUSTERS = 65_525;
    /** FAT32 entries are 28 bits and the top values are reserved. */
    static final long MAX_CLUSTERS = 0x0FFF_FFF5L;
    static final int FIRST_CLUSTER = 2;
    private static final int MIN_RESERVED = 32;
    /** Microsoft's table: 512-byte clusters up to 260 MiB, 4 KiB clusters above, up to 8 GiB here. */
    private static final long SMALL_VOLUME_SECTORS = 260L * 1024 * 1024 / SECTOR;
    static final long MAX_SECTORS = 8L * 1024 * 1024 * 1024 / SECTOR;

    Fat32Geometry {
        if (clusterCount < MIN_CLUSTERS || clusterCount > MAX_CLUSTERS
                || (clusterCount + FIRST_CLUSTER) * 4 > fatSectors * SECTOR
                || reservedSectors + 2 * fatSectors + clusterCount * sectorsPerCluster > totalSectors) {
            throw new IllegalArgumentException("inconsistent FAT32 geometry: " + totalSectors + " sectors, "
                    + clusterCount + " clusters of " + sectorsPerCluster + " sectors, FATs of " + fatSectors);
        }
    }

    static Fat32Geometry of(long totalSectors) {
        if (totalSectors > MAX_SECTORS) {
            throw new IllegalArgumentException("a FAT32 volume of " + totalSectors + " sectors is larger than the "
                    + MAX_SECTORS + " sectors (8 GiB) supported");
        }
        int sectorsPerCluster = totalSectors <= SMALL_VOLUME_SECTORS ? 1 : 8;
        // Sized for every cluster the space after the reserved sectors could hold, so slightly generous.
        long fatEntries = (totalSectors - MIN_RESERVED) / sectorsPerCluster + FIRST_CLUSTER;
        long fatSectors = ceilDiv(fatEntries * 4, SECTOR);
        long unaligned = MIN_RESERVED + 2 * fatSectors;
        int reserved = (int) (MIN_RESERVED + (sectorsPerCluster - unaligned % sectorsPerCluster) % sectorsPerCluster);
        long clusters = (totalSectors - reserved - 2 * fatSectors) / sectorsPerCluster;
        if (clusters < MIN_CLUSTERS) {
            throw new IllegalArgumentException("a volume of " + totalSectors + " sectors holds only " + clusters
                    + " clusters; FAT32 needs at least " + MIN_CLUSTERS);
        }
        return new Fat32Geometry(totalSectors, sectorsPerCluster, reserved, fatSectors, clusters);
    }

    int clusterBytes() {
        return sectorsPerCluster * SECTOR;
    }

    long fatOffset(int copy) {
        return (reservedSectors + copy * fatSectors) * SECTOR;
    }

    long clusterOffset(long cluster) {
        return (reservedSectors + 2 * fatSectors + (cluster - FIRST_CLUSTER) * sectorsPerCluster) * SECTOR;
    }

    long clustersFor(long bytes) {
        return ceilDiv(bytes, clusterBytes());
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
