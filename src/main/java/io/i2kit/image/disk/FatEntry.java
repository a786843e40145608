package io.i2kit.image.disk;

import java.util.List;
import java.util.Objects;

/**
 * A file or a directory to put on a FAT volume. The path is relative to the root and uses '/';
 * parent directories need not be listed.
 */
record FatEntry(String path, FatContent content) {
    FatEntry {
        Objects.requireNonNull(path, "path");
        if (path.isEmpty() || path.startsWith("/") || path.endsWith("/") || path.contains("//")) {
            throw new IllegalArgumentException("FAT path \"" + path
                    + "\" must be relative, use single '/' separators and not end with '/'");
        }
    }

    static FatEntry file(String path, FatContent content) {
        return new FatEntry(path, Objects.requireNonNull(content, "content"));
    }

    static FatEntry directory(String path) {
        return new FatEntry(path, null);
    }

    boolean isDirectory() {
        return content == null;
    }

    List<String> names() {
        return List.of(path.split("/"));
    }
}
