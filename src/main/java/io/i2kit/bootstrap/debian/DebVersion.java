package io.i2kit.bootstrap.debian;

/**
 * A Debian package version, {@code [epoch:]upstream[-revision]}, ordered as dpkg orders them (a
 * tilde sorts before anything, even the end of the string), so that the newest of the versions
 * found in several suites (bookworm, bookworm-updates, bookworm-security) is the one apt would pick.
 */
public record DebVersion(int epoch, String upstream, String revision) implements Comparable<DebVersion> {
    public static DebVersion parse(String text) {
        String rest = text.strip();
        int epoch = 0;
        int colon = rest.indexOf(':');
        if (colon > 0) {
            try {
                epoch = Integer.parseInt(rest.substring(0, colon));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("\"" + text + "\" is not a Debian version: bad epoch");
            }
            rest = rest.substring(colon + 1);
        }
        int dash = rest.lastIndexOf('-');
        String upstream = dash > 0 ? rest.substring(0, dash) : rest;
        String revision = dash > 0 ? rest.substring(dash + 1) : "";
        if (upstream.isEmpty()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a Debian version: empty upstream version");
        }
        return new DebVersion(epoch, upstream, revision);
    }

    @Override
    public int compareTo(DebVersion other) {
        if (epoch != other.epoch) {
            return Integer.compare(epoch, other.epoch);
        }
        int c = compareParts(upstream, other.upstream);
        return c != 0 ? c : compareParts(revision, other.revision);
    }

    /** dpkg's verrevcmp: alternating runs of non-digits (compared by {@link #order}) and numbers. */
    static int compareParts(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() || j < b.length()) {
            while ((i < a.length() && !Character.isDigit(a.charAt(i))) || (j < b.length() && !Character.isDigit(b.charAt(j)))) {
                int ca = i < a.length() ? order(a.charAt(i)) : 0;
                int cb = j < b.length() ? order(b.charAt(j)) : 0;
                if (ca != cb) {
                    return Integer.compare(ca, cb);
                }
                i++;
                j++;
            }
            while (i < a.length() && a.charAt(i) == '0') {
                i++;
            }
            while (j < b.length() && b.charAt(j) == '0') {
                j++;
            }
            int firstDiff = 0;
            while (i < a.length() && Character.isDigit(a.charAt(i)) && j < b.length() && Character.isDigit(b.charAt(j))) {
                if (firstDiff == 0) {
                    firstDiff = Integer.compare(a.charAt(i), b.charAt(j));
                }
                i++;
                j++;
            }
            if (i < a.length() && Character.isDigit(a.charAt(i))) {
                return 1;
            }
            if (j < b.length() && Character.isDigit(b.charAt(j))) {
                return -1;
            }
            if (firstDiff != 0) {
                return firstDiff;
            }
        }
        return 0;
    }

    private static int order(char c) {
        if (Character.isDigit(c)) {
            return 0;
        }
        if (Character.isLetter(c)) {
            return c;
        }
        if (c == '~') {
            return -1;
        }
        return c + 256;
    }

    @Override
    public String toString() {
        return (epoch > 0 ? epoch + ":" : "") + upstream + (revision.isEmpty() ? "" : "-" + revision);
    }
}
