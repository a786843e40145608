package io.i2kit.provider.local;

import io.i2kit.provider.Reports;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which container a console line belongs to. The VM's init prefixes each container's output with
 * {@code [name] } and its own lines with {@code i2kit:}; anything else (the kernel, the firmware)
 * is {@code console}. These are the names CloudWatch Logs streams carry on AWS ({@code
 * <instance>/<container>}, {@code <instance>/init}), so {@code --container} means the same on both.
 */
final class ConsoleLine {
    /** A container name is a DNS label; a kernel timestamp ({@code [    1.234567]}) never is one. */
    private static final Pattern LABELLED = Pattern.compile("\\[([a-z0-9][a-z0-9-]*)] (.*)", Pattern.DOTALL);

    private ConsoleLine() {
    }

    /** The line as {@code logs} shows it: without the prefix that named its container. */
    static Reports.LogLine of(String vm, String line) {
        Matcher labelled = LABELLED.matcher(line);
        if (labelled.matches()) {
            return new Reports.LogLine(vm, labelled.group(1), Optional.empty(), labelled.group(2));
        }
        return new Reports.LogLine(vm, line.startsWith("i2kit:") ? Reports.LogLine.INIT : Reports.LogLine.CONSOLE, Optional.empty(), line);
    }
}
