package io.i2kit.yaml;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each key path was written, so that checks made later, on what was built from the file,
 * can still point at the user's file (also when an importer renamed the paths of a foreign format).
 */
public final class SourceMap {
    private final String file;
    private final Map<String, Position> positions = new HashMap<>();

    public SourceMap(String file) {
        this.file = file;
    }

    public String file() {
        return file;
    }

    void put(String path, Position position) {
        positions.putIfAbsent(path, position);
    }

    /**
     * Records under {@code to} every position that {@code from} holds at {@code fromPath} or below it,
     * for importers that read a foreign file under its own paths and then name them in the model's.
     */
    public void copy(SourceMap from, String fromPath, String to) {
        from.positions.forEach((path, position) -> {
            if (path.equals(fromPath)) {
                put(to, position);
            } else if (path.startsWith(fromPath) && (path.charAt(fromPath.length()) == '.' || path.charAt(fromPath.length()) == '[')) {
                put(to + path.substring(fromPath.length()), position);
            }
        });
    }

    /** The position of {@code path}, or of its nearest recorded ancestor. */
    public Position at(String path) {
        String p = path;
        while (!p.isEmpty()) {
            Position found = positions.get(p);
            if (found != null) {
                return found;
            }
            int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
            p = cut > 0 ? p.substring(0, cut) : "";
        }
        return positions.getOrDefault("", Position.unknown(file));
    }
}
