package io.i2kit.bootstrap.image;

import io.i2kit.image.Entry;
import io.i2kit.image.FileTree;
import io.i2kit.image.TreePath;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A recipe's {@code keep} and {@code drop}: globs over the paths of an image's tree, {@code *}
 * and {@code ?} within a name, {@code **} across directories.
 */
public final class TreePruner {
    private TreePruner() {
    }

    /**
     * Keeps only the paths matching one of {@code globs}, the directories above them, everything
     * below kept directories, and what kept links lead to (inside the tree), so a kept
     * {@code libseccomp.so.2} brings the file it names.
     */
    public static void keepOnly(FileTree tree, Collection<String> globs) {
        List<Pattern> patterns = compile(globs);
        Set<String> keep = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>();
        tree.entries().keySet().stream().filter(p -> matches(patterns, p)).forEach(todo::add);
        while (!todo.isEmpty()) {
            String path = todo.removeLast();
            if (!keep.add(path)) {
                continue;
            }
            Entry entry = tree.get(path).orElseThrow();
            if (entry instanceof Entry.Directory) {
                todo.addAll(tree.under(path).keySet());
            } else if (entry instanceof Entry.Symlink) {
                tree.resolve(path).filter(target -> !target.isEmpty()).ifPresent(todo::add);
            }
            for (String parent = TreePath.parent(path); !parent.isEmpty(); parent = TreePath.parent(parent)) {
                keep.add(parent);
            }
        }
        for (String path : List.copyOf(tree.entries().keySet())) {
            if (!keep.contains(path)) {
                tree.remove(path); // a no-op once an unkept directory above went
            }
        }
    }

    /** Removes every path matching one of {@code globs}, and what is below it. */
    public static void drop(FileTree tree, Collection<String> globs) {
        List<Pattern> patterns = compile(globs);
        for (String path : List.copyOf(tree.entries().keySet())) {
            if (matches(patterns, path)) {
                tree.remove(path);
            }
        }
    }

    private static boolean matches(List<Pattern> patterns, String path) {
        return patterns.stream().anyMatch(p -> p.matcher(path).matches());
    }

    private static List<Pattern> compile(Collection<String> globs) {
        return globs.stream().map(TreePruner::glob).toList();
    }

    static Pattern glob(String glob) {
        String g = TreePath.normalise(glob);
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^/]*");
            } else if (c == '?') {
                re.append("[^/]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }
}
