package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.Content;
import io.i2kit.image.Entry.Directory;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.Entry.RegularFile;
import io.i2kit.image.Entry.Symlink;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * An in-memory root file system, sorted by path (so a directory always comes before what it
 * holds). Paths given to it are normalised by {@link TreePath}; the root itself is implicit.
 *
 * <p>Every entry's ancestors are directories of the tree. When a path to add goes through a
 * symlink, the link is followed inside the tree as if the tree were the root of a chroot: an
 * absolute target starts again at the root and {@code ..} stops at the root. That is how container
 * runtimes apply layers ({@code lib -> usr/lib} then {@code lib/x}), and it means no entry can
 * land outside the root, whatever the links say. Missing parents become {@code 0755} root-owned
 * directories; a parent that is not a directory is replaced by one (the later entry wins).
 */
public final class FileTree {
    /** Linux gives up after 40 links in one lookup; so do we, against link loops. */
    private static final int MAX_LINK_HOPS = 40;

    private final TreeMap<String, Entry> entries = new TreeMap<>();
    private long nextLinkGroup = 1;

    public void addDirectory(String path, Meta meta) {
        String at = place(path);
        if (at.isEmpty()) {
            return; // the root is implicit; archives' "./" entries carry nothing we keep
        }
        if (entries.get(at) instanceof Directory) {
            entries.put(at, new Directory(meta));
        } else {
            replace(at, new Directory(meta));
        }
    }

    public void addFile(String path, Meta meta, Content content) {
        put(path, new RegularFile(meta, content, 0));
    }

    public void addFile(String path, Meta meta, byte[] content) {
        addFile(path, meta, new Entry.Bytes(content));
    }

    public void addSymlink(String path, Meta meta, String target) {
        put(path, new Symlink(meta, target));
    }

    public void addDevice(String path, Meta meta, boolean block, int major, int minor) {
        put(path, new Entry.Device(meta, block, major, minor));
    }

    public void addFifo(String path, Meta meta) {
        put(path, new Entry.Fifo(meta));
    }

    /**
     * Makes {@code path} another name of the entry at {@code target}, which must already be in the
     * tree. Regular files share their content and become one inode in the outputs; other kinds are
     * copied, which is what a reader can observe of them.
     */
    public void addHardLink(String path, String target) {
        String real = realPath(target).orElse(null);
        Entry existing = real == null ? null : entries.get(real);
        if (existing == null) {
            throw new I2kitException("cannot hard-link \"" + path + "\" to \"" + target + "\": the target is not in "
                    + "the tree; a hard link must name an entry added before it");
        }
        if (existing instanceof Directory) {
            throw new I2kitException("cannot hard-link \"" + path + "\" to directory \"" + target
                    + "\": directories cannot be hard-linked");
        }
        Entry link = existing;
        if (existing instanceof RegularFile file) {
            long group = file.linkGroup() != 0 ? file.linkGroup() : nextLinkGroup++;
            entries.put(real, file.withLinkGroup(group));
            link = file.withLinkGroup(group);
        }
        put(path, link);
    }

    /**
     * Renames the file, link, device or fifo at {@code from} to {@code to}, replacing what is there
     * (and below it). A hard-linked file keeps its other names. Directories are not moved.
     */
    public void move(String from, String to) {
        String real = realPath(from).filter(entries::containsKey).orElseThrow(() ->
                new I2kitException("cannot move \"" + from + "\": it is not in the tree"));
        Entry entry = entries.get(real);
        if (entry instanceof Directory) {
            throw new I2kitException("cannot move \"" + from + "\": it is a directory; only files, links, devices "
                    + "and fifos are moved");
        }
        if (TreePath.normalise(to).isEmpty()) { // checked before anything changes, as is a "..": above the root
            throw new I2kitException("cannot move \"" + from + "\" to the root of the tree: the root is a directory");
        }
        entries.remove(real);
        put(to, entry);
    }

    /** Removes the entry at {@code path} and everything below it; false if there was none. */
    public boolean remove(String path) {
        Optional<String> real = realPath(path);
        if (real.isEmpty() || real.get().isEmpty() || !entries.containsKey(real.get())) {
            return false;
        }
        removeSubtree(real.get());
        return true;
    }

    /** Empties the directory at {@code path} (an opaque directory in a layer), keeping it. */
    public void clearDirectory(String path) {
        realPath(path).ifPresent(real -> below(real).clear());
    }

    /** The entry at exactly {@code path}, following no symlink. */
    public Optional<Entry> get(String path) {
        return Optional.ofNullable(entries.get(TreePath.normalise(path)));
    }

    /**
     * Where {@code path} is in the tree once the symlinks among its parents are followed (the last
     * component is not), or empty when a parent is missing or not a directory.
     */
    public Optional<String> realPath(String path) {
        List<String> parts = TreePath.components(path);
        if (parts.isEmpty()) {
            return Optional.of("");
        }
        return resolveDirectory(path, parts.subList(0, parts.size() - 1), false)
                .map(parent -> TreePath.join(parent, parts.get(parts.size() - 1)));
    }

    /**
     * Where {@code path} leads once every symlink on it is followed, its last component's too, as
     * a lookup in a chroot at the tree's root would: an absolute target starts again at the root,
     * {@code ..} stops there. Empty when something on the way is missing or not a directory, or
     * the links loop; the root itself is {@code ""}.
     */
    public Optional<String> resolve(String path) {
        Deque<String> todo = new ArrayDeque<>(TreePath.components(path));
        List<String> at = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (followDots(part, at)) {
                continue;
            }
            Entry entry = entries.get(TreePath.join(String.join("/", at), part));
            if (entry instanceof Symlink link) {
                if (++hops > MAX_LINK_HOPS) {
                    return Optional.empty(); // a lookup through a loop fails (ELOOP); it leads nowhere
                }
                enter(link, at, todo);
                continue;
            }
            if (entry == null || (!(entry instanceof Directory) && !todo.isEmpty())) {
                return Optional.empty();
            }
            at.add(part);
        }
        return Optional.of(String.join("/", at));
    }

    /** The entries below the directory at {@code path} (without it), sorted; read-only. */
    public SortedMap<String, Entry> under(String path) {
        return Collections.unmodifiableSortedMap(below(TreePath.normalise(path)));
    }

    /** All entries by path, sorted; read-only. */
    public SortedMap<String, Entry> entries() {
        return Collections.unmodifiableSortedMap(entries);
    }

    public int size() {
        return entries.size();
    }

    /** Adds every entry of {@code other} at the same path; later wins, as LinuxKit merges images at /. */
    public void merge(FileTree other) {
        graft("", other);
    }

    /** Adds every entry of {@code other} below {@code prefix}, e.g. an image's rootfs in a bundle. */
    public void graft(String prefix, FileTree other) {
        String base = TreePath.normalise(prefix);
        Map<Long, Long> groups = new HashMap<>();
        for (Map.Entry<String, Entry> e : List.copyOf(other.entries.entrySet())) {
            String path = TreePath.join(base, e.getKey());
            Entry entry = e.getValue();
            if (entry instanceof Directory dir) {
                addDirectory(path, dir.meta());
            } else if (entry instanceof RegularFile file && file.linkGroup() != 0) {
                put(path, file.withLinkGroup(groups.computeIfAbsent(file.linkGroup(), g -> nextLinkGroup++)));
            } else {
                put(path, entry);
            }
        }
    }

    private void put(String path, Entry entry) {
        String at = place(path);
        if (at.isEmpty()) {
            throw new I2kitException("cannot put a " + entry.getClass().getSimpleName().toLowerCase()
                    + " at the root of the tree (path \"" + path + "\"): the root is a directory");
        }
        replace(at, entry);
    }

    private void replace(String at, Entry entry) {
        removeSubtree(at);
        entries.put(at, entry);
    }

    private void removeSubtree(String at) {
        entries.remove(at);
        below(at).clear();
    }

    private SortedMap<String, Entry> below(String dir) {
        // '0' is the character after '/': the range holds exactly the paths under dir/
        return dir.isEmpty() ? entries : entries.subMap(dir + "/", dir + "0");
    }

    /** The real path where {@code path} goes, its parents created or resolved. */
    private String place(String path) {
        List<String> parts = TreePath.components(path);
        if (parts.isEmpty()) {
            return "";
        }
        String parent = resolveDirectory(path, parts.subList(0, parts.size() - 1), true).orElseThrow();
        return TreePath.join(parent, parts.get(parts.size() - 1));
    }

    private Optional<String> resolveDirectory(String original, List<String> parts, boolean create) {
        Deque<String> todo = new ArrayDeque<>(parts);
        List<String> at = new ArrayList<>();
        int hops = 0;
        while (!todo.isEmpty()) {
            String part = todo.removeFirst();
            if (followDots(part, at)) {
                continue;
            }
            String path = TreePath.join(String.join("/", at), part);
            Entry entry = entries.get(path);
            if (entry instanceof Symlink link) {
                if (++hops > MAX_LINK_HOPS) {
                    throw new PathEscapeException(original, "more than " + MAX_LINK_HOPS
                            + " symbolic links to follow (a link loop?)");
                }
                enter(link, at, todo);
                continue;
            }
            if (!(entry instanceof Directory)) {
                if (!create) {
                    return Optional.empty();
                }
                replace(path, new Directory(Meta.ROOT_DIR));
            }
            at.add(part);
        }
        return Optional.of(String.join("/", at));
    }

    /** Steps for {@code .} and {@code ..}; true if {@code part} was one (or empty). */
    private static boolean followDots(String part, List<String> at) {
        if (part.equals("..")) {
            if (!at.isEmpty()) {
                at.remove(at.size() - 1); // a link's ".." stops at the root, as in a chroot
            }
            return true;
        }
        return part.isEmpty() || part.equals(".");
    }

    /** Goes on at {@code link}'s target: from the root when it is absolute, else from the link's directory. */
    private static void enter(Symlink link, List<String> at, Deque<String> todo) {
        if (link.target().startsWith("/")) {
            at.clear();
        }
        String[] target = link.target().split("/");
        for (int i = target.length - 1; i >= 0; i--) {
            todo.addFirst(target[i]);
        }
    }
}
