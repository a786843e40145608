package io.i2kit.image;

import io.i2kit.image.Entry.RegularFile;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The hard-link groups of a tree that still have two or more names, each in path order. */
record HardLinks(Map<Long, List<String>> groups) {
    static HardLinks of(FileTree tree) {
        Map<Long, List<String>> all = new HashMap<>();
        tree.entries().forEach((path, entry) -> {
            if (entry instanceof RegularFile file && file.linkGroup() != 0) {
                all.computeIfAbsent(file.linkGroup(), g -> new ArrayList<>()).add(path);
            }
        });
        all.values().removeIf(names -> names.size() < 2);
        return new HardLinks(all);
    }

    /** The names of {@code entry}'s inode, or just {@code path} when it has one name. */
    List<String> names(String path, Entry entry) {
        if (entry instanceof RegularFile file && groups.containsKey(file.linkGroup())) {
            return groups.get(file.linkGroup());
        }
        return List.of(path);
    }
}
