package io.i2kit.bootstrap.image;

import io.i2kit.InvalidInputException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * An image's file tree in memory, keyed by normalized relative path ({@code usr/bin/runc}). Paths
 * are checked when they enter, so no {@code ..} or absolute name ever reaches a layer; links are
 * data here, resolved only inside this tree (as in a chroot), never on the host.
 */
public final class RootFs {
    private final TreeMap<String, FsNode> nodes = new TreeMap<>();

    /**
     * {@code ./usr/bin/x}, {@code /usr/bin/x/} and {@code usr/bin/x} all become {@code usr/bin/x};
     * the root is {@code ""}. Refuses {@code ..} components: they could climb out of any tree.
     */
    public static String normalize(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        if (p.equals(".")) {
            p = "";
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        List<String> parts = new ArrayList<>();
        for (String part : p.split("/", -1)) {
            if (part.equals("..")) {
                throw new InvalidInputException("refusing path \"" + path + "\": it contains \"..\"");
            }
            if (part.indexOf('\0') >= 0) {
                throw new InvalidInputException("refusing path \"" + path.replace('\0', '?') + "\": it contains a NUL byte");
            }
            if (!part.isEmpty() && !part.equals(".")) {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** Archive member names must be relative: an absolute name is refused, not re-rooted. */
    public static String archivePath(String name) {
        if (name.startsWith("/")) {
            throw new InvalidInputException("refusing archive member \"" + name + "\": absolute path");
        }
        return normalize(name);
    }

    /** Adds or replaces {@code path}, creating missing parent directories (0755, root). */
    public void put(String path, FsNode node) {
        String p = normalize(path);
        if (p.isEmpty()) {
            return; // the root directory's own entry carries nothing an image needs
        }
        int slash = p.lastIndexOf('/');
        if (slash > 0) {
            mkdirs(p.substring(0, slash));
        }
        FsNode existing = nodes.get(p);
        if (existing != null && existing.type() == FsNode.Type.DIRECTORY && node.type() != FsNode.Type.DIRECTORY) {
            removeTree(p);
        }
        nodes.put(p, node);
    }

    public void mkdirs(String path) {
        String p = normalize(path);
        StringBuilder prefix = new StringBuilder();
        for (String part : p.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            if (prefix.length() > 0) {
                prefix.append('/');
            }
            prefix.append(part);
            FsNode at = nodes.get(prefix.toString());
            if (at == null) {
                nodes.put(prefix.toString(), FsNode.directory(0755));
            } else if (at.type() != FsNode.Type.DIRECTORY) {
                throw new InvalidInputException("cannot create " + p + ": /" + prefix + " is not a directory");
            }
        }
    }

    public Optional<FsNode> get(String path) {
        return Optional.ofNullable(nodes.get(normalize(path)));
    }

    public void removeTree(String path) {
        String p = normalize(path);
        nodes.remove(p);
        nodes.subMap(p + "/", true, p + "/\uffff", true).clear();
    }

    /** Moves a file or link (not a directory) to {@code to}. */
    public void move(String from, String to) {
        FsNode node = get(from).orElseThrow(() -> new InvalidInputException("cannot move /" + normalize(from) + ": not in the image"));
        if (node.type() == FsNode.Type.DIRECTORY) {
            throw new InvalidInputException("cannot move /" + normalize(from) + ": it is a directory");
        }
        nodes.remove(normalize(from));
        put(to, node);
    }

    /**
     * Follows links inside this tree, as the kernel would in a chroot at its root. Empty when a
     * component is missing or the links loop.
     */
    public Optional<String> resolve(String path) {
        List<String> pending = new ArrayList<>(List.of(normalize(path).split("/")));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.remove(0);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(part);
            FsNode node = nodes.get(String.join("/", done));
            if (node == null) {
                return Optional.empty();
            }
            if (node.type() == FsNode.Type.SYMLINK) {
                if (++hops > 40) {
                    return Optional.empty();
                }
                done.remove(done.size() - 1);
                String target = node.linkTarget();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> next = new ArrayList<>(List.of(target.split("/")));
                next.addAll(pending);
                pending = next;
            }
        }
        return Optional.of(String.join("/", done));
    }

    /**
     * Keeps only paths matching one of {@code globs} ({@code *} within a name, {@code **} across
     * directories), the directories above them, everything below kept directories, and what kept
     * links point to, so a kept {@code libseccomp.so.2} brings the file it names.
     */
    public void keepOnly(Collection<String> globs) {
        List<Pattern> patterns = globs.stream().map(RootFs::glob).toList();
        TreeSet<String> keep = new TreeSet<>();
        List<String> queue = new ArrayList<>();
        for (String p : nodes.keySet()) {
            if (patterns.stream().anyMatch(g -> g.matcher(p).matches())) {
                queue.add(p);
            }
        }
        while (!queue.isEmpty()) {
            String p = queue.remove(queue.size() - 1);
            if (!keep.add(p)) {
                continue;
            }
            FsNode node = nodes.get(p);
            if (node.type() == FsNode.Type.DIRECTORY) {
                queue.addAll(nodes.subMap(p + "/", true, p + "/\uffff", true).keySet());
            } else if (node.type() == FsNode.Type.SYMLINK) {
                String parent = p.contains("/") ? p.substring(0, p.lastIndexOf('/')) : "";
                String target = node.linkTarget().startsWith("/") ? node.linkTarget() : parent + "/" + node.linkTarget();
                resolve(target).filter(nodes::containsKey).ifPresent(queue::add);
            }
            for (int slash = p.lastIndexOf('/'); slash > 0; slash = p.lastIndexOf('/', slash - 1)) {
                keep.add(p.substring(0, slash));
            }
        }
        nodes.keySet().retainAll(keep);
    }

    /** Removes every path matching one of {@code globs}, and what is below it. */
    public void drop(Collection<String> globs) {
        List<Pattern> patterns = globs.stream().map(RootFs::glob).toList();
        for (String p : new ArrayList<>(nodes.keySet())) {
            if (nodes.containsKey(p) && patterns.stream().anyMatch(g -> g.matcher(p).matches())) {
                removeTree(p);
            }
        }
    }

    /** Everything, parents before children, in a fixed order (the order layers are written in). */
    public NavigableMap<String, FsNode> entries() {
        return java.util.Collections.unmodifiableNavigableMap(nodes);
    }

    public Map<String, FsNode> under(String directory) {
        String d = normalize(directory);
        return nodes.subMap(d + "/", true, d + "/\uffff", true);
    }

    public long size() {
        return nodes.values().stream().mapToLong(FsNode::size).sum();
    }

    static Pattern glob(String glob) {
        String g = normalize(glob);
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
