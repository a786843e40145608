package io.i2kit.event;

/**
 * Events of long work (downloads, unpacking, compression), emitted by the core and rendered by the
 * CLI: a bar on a terminal, plain lines otherwise, JSON for scripts. The core never prints.
 */
public interface Progress {
    Progress NONE = new Progress() {
        @Override
        public void start(String task, long total) {
        }

        @Override
        public void advance(String task, long done) {
        }

        @Override
        public void finish(String task, String summary) {
        }
    };

    /** A task begins; {@code total} is in bytes, or -1 when unknown. */
    void start(String task, long total);

    /** {@code done} more bytes of {@code task} are done. */
    void advance(String task, long done);

    void finish(String task, String summary);
}
