package io.i2kit.image.disk;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns a list of files and directories into a {@link FatPlan}: builds the tree, gives every name
 * its 8.3 alias, lays out clusters depth first (root at cluster 2) and encodes the directories.
 * Children are ordered by their upper-cased name, so the input order does not change the image.
 */
final class FatPlanner {
    /** FAT directories hold at most 65,536 entries (the "." entries and long-name parts count). */
    private static final int MAX_DIRECTORY_ENTRIES = 65_536;
    static final long MAX_FILE_SIZE = 0xFFFF_FFFFL;
    private static final String FORBIDDEN = "\"*/:<>?\\|";

    private final int clusterBytes;
    private final List<FatPlan.Extent> extents = new ArrayList<>();
    private long nextCluster = Fat32Geometry.FIRST_CLUSTER;

    private FatPlanner(int clusterBytes) {
        this.clusterBytes = clusterBytes;
    }

    /** Mutable only while planning; names are keyed upper-cased because FAT names ignore case. */
    private static final class Node {
        final String name;
        final String path;
        final FatContent content;
        final Map<String, Node> children = new TreeMap<>();
        ShortName shortName;
        long firstCluster;
        long clusters;

        Node(String name, String path, FatContent content) {
            this.name = name;
            this.path = path;
            this.content = content;
        }

        boolean isDirectory() {
            return content == null;
        }
    }

    static FatPlan plan(List<FatEntry> entries, String volumeLabel, int clusterBytes) {
        Node root = new Node("", "/", null);
        for (FatEntry entry : entries) {
            add(root, entry);
        }
        FatPlanner planner = new FatPlanner(clusterBytes);
        planner.allocate(root, true);
        planner.encode(root, null, volumeLabel);
        return new FatPlan(planner.extents, planner.nextCluster - Fat32Geometry.FIRST_CLUSTER);
    }

    private static void add(Node root, FatEntry entry) {
        Node parent = root;
        List<String> names = entry.names();
        for (int i = 0; i < names.size(); i++) {
            String name = checkName(names.get(i), entry.path());
            boolean last = i == names.size() - 1;
            String path = String.join("/", names.subList(0, i + 1));
            String key = name.toUpperCase(Locale.ROOT);
            Node existing = parent.children.get(key);
            if (existing == null) {
                if (last && !entry.isDirectory() && entry.content().size() > MAX_FILE_SIZE) {
                    throw new IllegalArgumentException("FAT file " + path + " has " + entry.content().size()
                            + " bytes; FAT32 files hold at most " + MAX_FILE_SIZE);
                }
                existing = new Node(name, path, last ? entry.content() : null);
                parent.children.put(key, existing);
            } else if (!existing.isDirectory() || (last && !entry.isDirectory())) {
                throw new IllegalArgumentException("FAT path " + entry.path() + " clashes with " + existing.path
                        + " (names differing only in case are the same on FAT)");
            }
            parent = existing;
        }
    }

    private static String checkName(String name, String path) {
        boolean bad = name.length() > 255 || name.equals(".") || name.equals("..")
                || name.endsWith(".") || name.endsWith(" ")
                || name.chars().anyMatch(c -> c < 0x20 || FORBIDDEN.indexOf(c) >= 0);
        if (bad) {
            throw new IllegalArgumentException("\"" + name + "\" in " + path + " is not a valid FAT long name");
        }
        return name;
    }

    private void allocate(Node node, boolean root) {
        if (node.isDirectory()) {
            assignShortNames(node);
            int entries = root ? 1 : 2; // the volume label, or "." and ".."
            for (Node child : node.children.values()) {
                entries += 1 + (needsLongName(child) ? DirectoryEncoder.longEntryCount(child.name) : 0);
            }
            if (entries > MAX_DIRECTORY_ENTRIES) {
                throw new IllegalArgumentException("FAT directory " + node.path + " needs " + entries
                        + " entries; at most " + MAX_DIRECTORY_ENTRIES + " fit");
            }
            claim(node, Math.max(1, ceilDiv((long) entries * DirectoryEncoder.ENTRY, clusterBytes)));
            node.children.values().forEach(child -> allocate(child, false));
        } else {
            claim(node, ceilDiv(node.content.size(), clusterBytes));
        }
    }

    private void claim(Node node, long clusters) {
        node.clusters = clusters;
        node.firstCluster = clusters == 0 ? 0 : nextCluster;
        nextCluster += clusters;
    }

    /** Exact 8.3 names first, so an alias never takes a name a file really has. */
    private static void assignShortNames(Node directory) {
        Set<String> taken = new HashSet<>();
        for (Node child : directory.children.values()) {
            child.shortName = ShortName.exact(child.name);
            if (child.shortName != null) {
                taken.add(child.shortName.toString());
            }
        }
        for (Node child : directory.children.values()) {
            if (child.shortName == null) {
                child.shortName = ShortName.derive(child.name, candidate -> taken.contains(candidate.toString()));
                taken.add(child.shortName.toString());
            }
        }
    }

    private static boolean needsLongName(Node node) {
        return !node.shortName.toString().equals(node.name);
    }

    private void encode(Node directory, Node parent, String volumeLabel) {
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(directory.clusters * clusterBytes));
        if (parent == null) {
            DirectoryEncoder.shortEntry(out, labelBytes(volumeLabel), DirectoryEncoder.ATTR_VOLUME_LABEL, 0, 0);
        } else {
            DirectoryEncoder.shortEntry(out, dots("."), DirectoryEncoder.ATTR_DIRECTORY, directory.firstCluster, 0);
            // ".." names the root as cluster 0, whatever the root's real cluster is.
            long parentCluster = parent.path.equals("/") ? 0 : parent.firstCluster;
            DirectoryEncoder.shortEntry(out, dots(".."), DirectoryEncoder.ATTR_DIRECTORY, parentCluster, 0);
        }
        for (Node child : directory.children.values()) {
            if (needsLongName(child)) {
                DirectoryEncoder.longEntries(out, child.name, child.shortName);
            }
            DirectoryEncoder.shortEntry(out, child.shortName.bytes(),
                    child.isDirectory() ? DirectoryEncoder.ATTR_DIRECTORY : DirectoryEncoder.ATTR_ARCHIVE,
                    child.firstCluster, child.isDirectory() ? 0 : child.content.size());
        }
        extents.add(new FatPlan.Extent(directory.path, directory.firstCluster, directory.clusters,
                FatContent.of(out.array())));
        for (Node child : directory.children.values()) {
            if (child.isDirectory()) {
                encode(child, directory, volumeLabel);
            } else if (child.clusters > 0) {
                extents.add(new FatPlan.Extent(child.path, child.firstCluster, child.clusters, child.content));
            }
        }
    }

    static byte[] labelBytes(String label) {
        return String.format(Locale.ROOT, "%-11s", label).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }

    private static byte[] dots(String name) {
        return labelBytes(name);
    }

    private static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }
}
