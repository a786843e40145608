package io.i2kit.linuxkit;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.representer.StandardRepresenter;

/** Writes LinuxKit YAML in a stable key order, so that unchanged services render byte-identical files. */
public final class LinuxkitWriter {
    private static final DumpSettings SETTINGS = DumpSettings.builder()
            .setDefaultFlowStyle(FlowStyle.BLOCK)
            .setIndent(2)
            .setIndicatorIndent(2)
            .setIndentWithIndicator(true)
            .setWidth(4096)
            .build();

    private LinuxkitWriter() {
    }

    public static String write(LinuxkitTemplate t) {
        Map<String, Object> root = new LinkedHashMap<>();
        Map<String, Object> kernel = new LinkedHashMap<>();
        kernel.put("image", t.kernel().image());
        kernel.put("cmdline", t.kernel().cmdline());
        root.put("kernel", kernel);
        root.put("init", t.init());
        if (!t.onboot().isEmpty()) {
            root.put("onboot", t.onboot().stream().map(LinuxkitWriter::container).toList());
        }
        root.put("services", t.services().stream().map(LinuxkitWriter::container).toList());
        if (!t.files().isEmpty()) {
            root.put("files", t.files().stream().map(f -> {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("path", f.path());
                file.put("contents", f.contents());
                file.put("mode", new Quoted(f.mode()));
                return file;
            }).toList());
        }
        return new Dump(SETTINGS, new Representer()).dumpToString(root);
    }

    /** A string written double-quoted, for values a YAML 1.1 reader would otherwise take for a number. */
    record Quoted(String value) {
    }

    private static final class Representer extends StandardRepresenter {
        Representer() {
            super(SETTINGS);
            representers.put(Quoted.class, data -> representScalar(Tag.STR, ((Quoted) data).value(), ScalarStyle.DOUBLE_QUOTED));
        }
    }

    private static Map<String, Object> container(ContainerTemplate c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", c.name());
        m.put("image", c.image());
        putList(m, "command", c.command());
        putList(m, "env", c.env());
        m.put("capabilities", c.capabilities());
        putList(m, "binds", c.binds());
        c.net().ifPresent(v -> m.put("net", v));
        c.pid().ifPresent(v -> m.put("pid", v));
        if (c.readonly()) {
            m.put("readonly", true);
        }
        c.cwd().ifPresent(v -> m.put("cwd", v));
        c.uid().ifPresent(v -> m.put("uid", number(v)));
        c.gid().ifPresent(v -> m.put("gid", number(v)));
        return m;
    }

    private static Object number(String v) {
        return v.matches("\\d{1,9}") ? (Object) Integer.valueOf(v) : v;
    }

    private static void putList(Map<String, Object> m, String key, List<String> values) {
        if (!values.isEmpty()) {
            m.put(key, values);
        }
    }
}
