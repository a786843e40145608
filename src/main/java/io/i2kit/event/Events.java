package io.i2kit.event;

/** Where a stage sends its events. Implementations must accept events from several threads. */
@FunctionalInterface
public interface Events {
    Events NONE = event -> { };

    void emit(Event event);

    /** The byte-counting view of these events that downloads, unpacks and uploads report to. */
    default Progress progress() {
        return new Progress() {
            @Override
            public void start(String task, long total) {
                emit(new Event.TaskStarted(task, total));
            }

            @Override
            public void advance(String task, long done) {
                emit(new Event.TaskAdvanced(task, done));
            }

            @Override
            public void finish(String task, String summary) {
                emit(new Event.TaskFinished(task, summary));
            }
        };
    }
}
