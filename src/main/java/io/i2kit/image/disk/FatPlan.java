package io.i2kit.image.disk;

import java.util.List;

/**
 * Where every directory and file of a FAT volume goes: each is one run of consecutive clusters
 * (an extent), so the FAT chains are simple and files read sequentially.
 */
record FatPlan(List<Extent> extents, long usedClusters) {
    FatPlan {
        extents = List.copyOf(extents);
    }

    /** {@code clusters} clusters from {@code firstCluster} holding {@code content}; directories hold their entries. */
    record Extent(String path, long firstCluster, long clusters, FatContent content) {
    }
}
