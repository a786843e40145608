package io.i2kit.linuxkit;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Writes LinuxKit YAML in a fixed key order, so that an unchanged service renders byte-identical
 * files. Written by hand rather than through a YAML library because a service of a large
 * application carries thousands of discovery variables and this is on the render path of every
 * command; scalars are plain only when no YAML 1.1 or 1.2 reader can mistake them.
 */
public final class LinuxkitWriter {
    /** Numbers, infinities and NaN in YAML 1.1 or 1.2, which would not read back as strings. */
    private static final Pattern NUMERIC = Pattern.compile(
            "(?i)[-+]?(\\.inf|\\.nan)|[-+]?[0-9][0-9_.:eE+-]*|0x[0-9a-f_]+|0o?[0-7_]+");
    private static final java.util.Set<String> WORDS = java.util.Set.of("true", "false", "yes", "no", "on", "off",
            "y", "n", "null");

    private final StringBuilder out = new StringBuilder(4096);

    private LinuxkitWriter() {
    }

    public static String write(LinuxkitTemplate t) {
        LinuxkitWriter w = new LinuxkitWriter();
        w.line(0, "kernel:");
        w.field(2, "image", t.kernel().image());
        w.field(2, "cmdline", t.kernel().cmdline());
        w.list(0, "init", t.init());
        if (!t.onboot().isEmpty()) {
            w.line(0, "onboot:");
            t.onboot().forEach(w::container);
        }
        w.line(0, "services:" + (t.services().isEmpty() ? " []" : ""));
        t.services().forEach(w::container);
        if (!t.files().isEmpty()) {
            w.line(0, "files:");
            for (LinuxkitTemplate.FileTemplate f : t.files()) {
                w.field(2, "- path", f.path());
                w.contents(f.contents());
                w.raw(4, "mode: " + quoted(f.mode()));
            }
        }
        return w.out.toString();
    }

    private void container(ContainerTemplate c) {
        field(2, "- name", c.name());
        field(4, "image", c.image());
        c.command().ifPresent(v -> list(4, "command", v));
        c.env().ifPresent(v -> list(4, "env", v));
        c.capabilities().ifPresent(v -> list(4, "capabilities", v));
        if (!c.capabilitiesAdd().isEmpty()) {
            list(4, "capabilities.add", c.capabilitiesAdd());
        }
        c.binds().ifPresent(v -> list(4, "binds", v));
        if (!c.bindsAdd().isEmpty()) {
            list(4, "binds.add", c.bindsAdd());
        }
        if (!c.tmpfs().isEmpty()) {
            list(4, "tmpfs", c.tmpfs());
        }
        c.net().ifPresent(v -> field(4, "net", v));
        c.pid().ifPresent(v -> field(4, "pid", v));
        c.readonly().ifPresent(v -> raw(4, "readonly: " + v));
        c.cwd().ifPresent(v -> field(4, "cwd", v));
        c.uid().ifPresent(v -> raw(4, "uid: " + number(v)));
        c.gid().ifPresent(v -> raw(4, "gid: " + number(v)));
    }

    private void list(int indent, String key, List<String> values) {
        if (values.isEmpty()) {
            raw(indent, key + ": []");
            return;
        }
        raw(indent, key + ":");
        for (String v : values) {
            indent(indent + 2).append("- ").append(scalar(v)).append('\n');
        }
    }

    private void contents(String text) {
        if (text.endsWith("\n") && text.chars().allMatch(ch -> ch == '\n' || (ch >= 0x20 && ch != 0x7f))
                && !text.startsWith(" ") && !text.contains("\n ") && !text.contains("\n\n")) {
            raw(4, "contents: |");
            for (String l : text.substring(0, text.length() - 1).split("\n", -1)) {
                raw(6, l);
            }
        } else {
            field(4, "contents", text);
        }
    }

    private void field(int indent, String key, String value) {
        raw(indent, key + ": " + scalar(value));
    }

    private void line(int indent, String text) {
        raw(indent, text);
    }

    private void raw(int indent, String text) {
        indent(indent).append(text).append('\n');
    }

    private StringBuilder indent(int indent) {
        for (int i = 0; i < indent; i++) {
            out.append(' ');
        }
        return out;
    }

    private static String number(String v) {
        return v.matches("\\d{1,9}") ? v : scalar(v);
    }

    /** A plain scalar when it cannot be read as anything but this string, else double-quoted. */
    static String scalar(String s) {
        return isSafePlain(s) ? s : quoted(s);
    }

    // A character loop rather than a regular expression: this runs for every discovery variable.
    private static boolean isSafePlain(String s) {
        int n = s.length();
        if (n == 0) {
            return false;
        }
        char first = s.charAt(0);
        if (!(Character.isLetterOrDigit(first) && first < 0x80 || first == '_' || first == '/' || first == '.'
                || first == '-' && n > 1 && s.charAt(1) != ' ')) {
            return false;
        }
        for (int i = 1; i < n; i++) {
            char c = s.charAt(i);
            boolean allowed = c < 0x80 && (Character.isLetterOrDigit(c) || "_/.:=@+,~% -".indexOf(c) >= 0);
            if (!allowed || c == ':' && (i == n - 1 || s.charAt(i + 1) == ' ')) {
                return false;
            }
        }
        if (s.charAt(n - 1) == ' ') {
            return false;
        }
        if (Character.isDigit(first) || first == '-' || first == '+' || first == '.') {
            return !NUMERIC.matcher(s).matches();
        }
        return n > 5 || !WORDS.contains(s.toLowerCase(Locale.ROOT));
    }

    /** YAML's double-quoted style, whose escapes are a superset of JSON's. */
    static String quoted(String s) {
        StringBuilder q = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> q.append("\\\"");
                case '\\' -> q.append("\\\\");
                case '\n' -> q.append("\\n");
                case '\t' -> q.append("\\t");
                case '\r' -> q.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029 || c == 0xfeff) {
                        q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        q.append(c);
                    }
                }
            }
        }
        return q.append('"').toString();
    }
}
