package io.i2kit.image;

import java.util.ArrayList;
import java.util.List;

/**
 * Paths inside a {@link FileTree}: relative, {@code /}-separated, no {@code .} or {@code ..}
 * components, no trailing slash; the root is the empty string. A leading {@code /} is dropped (an
 * archive's absolute name means "from the root", as tar treats it); a {@code ..} that would climb
 * above the root is refused, since no honest image needs one.
 */
public final class TreePath {
    private TreePath() {
    }

    /** The normal form of {@code raw}, or {@link PathEscapeException} if it leaves the root. */
    public static String normalise(String raw) {
        return String.join("/", components(raw));
    }

    static List<String> components(String raw) {
        if (raw.indexOf('\0') >= 0) {
            throw new PathEscapeException(raw, "it contains a NUL byte");
        }
        List<String> parts = new ArrayList<>();
        for (String part : raw.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw new PathEscapeException(raw, "its \"..\" climbs above the root");
                }
                parts.remove(parts.size() - 1);
            } else {
                parts.add(part);
            }
        }
        return parts;
    }

    /** The parent of a normal path; the root's parent is the root. */
    public static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : path.substring(0, slash);
    }

    public static String name(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    public static String join(String parent, String child) {
        return parent.isEmpty() ? child : child.isEmpty() ? parent : parent + "/" + child;
    }

    /** Whether {@code path} is {@code ancestor} or lies below it. */
    public static boolean isWithin(String path, String ancestor) {
        return ancestor.isEmpty() || path.equals(ancestor) || path.startsWith(ancestor + "/");
    }
}
