package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import io.i2kit.event.Event;
import io.i2kit.event.Events;
import io.i2kit.provider.local.vm.VmLauncher;
import java.io.IOException;
import java.util.function.Consumer;

/**
 * {@code up --foreground}: the supervisor in the calling process. It takes the application's lock
 * and serves the control socket like a background one, so status, a second up and down from
 * elsewhere see it; it runs until the process is interrupted, then stops every VM and balancer.
 */
final class ForegroundSupervisor {
    private ForegroundSupervisor() {
    }

    static Status run(AppPaths paths, DesiredState desired, Events events, Consumer<Status> onServing) {
        var lock = Supervisor.claim(paths);
        Consumer<Event.Note> log = events::emit;
        Supervisor supervisor = new Supervisor(paths, VmLauncher.create(), log);
        ControlServer control;
        try {
            control = new ControlServer(paths, supervisor);
        } catch (IOException e) {
            supervisor.close();
            throw new I2kitException("cannot open the control socket " + paths.control() + ": " + e.getMessage(), e);
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            events.emit(Event.Note.info(Event.Phase.DOWN, "stopping every VM and load balancer"));
            supervisor.close();
            try {
                control.close();
            } catch (IOException e) {
                // the socket file is removed by the next supervisor's bind
            }
        }, "i2kit-foreground-stop"));
        // answering before the first apply: a status, up or down from elsewhere meanwhile must reach
        // this supervisor, not wait on a socket nobody accepts on
        control.start();
        supervisor.apply(desired, log);
        onServing.accept(supervisor.status());
        events.emit(Event.Note.info(Event.Phase.DEPLOY, "running in the foreground; Ctrl-C stops everything"));
        control.awaitDown();
        Status last = supervisor.status();
        supervisor.close();
        try {
            lock.release();
        } catch (IOException e) {
            // released when the process ends anyway
        }
        return last;
    }
}
