package io.i2kit.event;

import java.util.Optional;

/**
 * What the stages report while they work. Every stage emits these and never prints; the CLI renders
 * them (a redrawn bar on a terminal, plain lines otherwise, JSON lines with {@code --output json}).
 * The fields are the facts (which service, which phase, how bad, how many bytes); layout, prefixes
 * and colours are the renderer's.
 */
public sealed interface Event {
    /** The stage an event belongs to. */
    enum Phase { VALIDATE, BOOTSTRAP, BUILD, DEPLOY, STATUS, DOWN }

    enum Level { INFO, WARNING }

    /** Something happened, to the application or to one of its services (or a stack, on AWS). */
    record Note(Phase phase, Level level, Optional<String> service, String text) implements Event {
        public static Note info(Phase phase, String text) {
            return new Note(phase, Level.INFO, Optional.empty(), text);
        }

        public static Note warning(Phase phase, String text) {
            return new Note(phase, Level.WARNING, Optional.empty(), text);
        }

        public static Note of(Phase phase, String service, String text) {
            return new Note(phase, Level.INFO, Optional.of(service), text);
        }

        /**
         * A line of a part that reports lines (the supervisor, across its socket): {@code [vote]
         * starting vote-g1-r0} is about vote; an {@code i2kit: } prefix is the renderer's to add.
         */
        public static Note ofLine(Phase phase, String line) {
            java.util.regex.Matcher m = SUBJECT.matcher(line);
            if (m.matches()) {
                return of(phase, m.group(1), m.group(2));
            }
            return info(phase, line.startsWith("i2kit: ") ? line.substring("i2kit: ".length()) : line);
        }

        private static final java.util.regex.Pattern SUBJECT = java.util.regex.Pattern.compile("\\[([^\\]]+)] (.*)",
                java.util.regex.Pattern.DOTALL);
    }

    /** Long work began (a download, an unpack, a compression, an upload); {@code totalBytes} is -1 when unknown. */
    record TaskStarted(String task, long totalBytes) implements Event {
    }

    /** {@code bytes} more of the task are done. */
    record TaskAdvanced(String task, long bytes) implements Event {
    }

    /** The task ended; {@code summary} says what it produced. */
    record TaskFinished(String task, String summary) implements Event {
    }
}
