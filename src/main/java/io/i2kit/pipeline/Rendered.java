package io.i2kit.pipeline;

import java.util.List;
import java.util.function.Supplier;

/**
 * What the render stage produces: {@code linuxkit/<service>.yml} per service, then
 * {@code cloudformation/*.json}. Each file is rendered when asked for, so that writing an
 * application of hundreds of services holds one service's output in memory at a time.
 */
public record Rendered(List<File> files) {
    public Rendered {
        files = List.copyOf(files);
    }

    /** A file to write under the output directory; {@code path} is relative and uses '/'. */
    public record File(String path, Supplier<String> contents) {
        public String text() {
            return contents.get();
        }
    }

    /** The text of one file, e.g. {@code linuxkit/web.yml}. */
    public String text(String path) {
        return files.stream().filter(f -> f.path().equals(path)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("nothing rendered at " + path)).text();
    }
}
