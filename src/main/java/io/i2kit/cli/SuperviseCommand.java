package io.i2kit.cli;

import io.i2kit.provider.local.AppPaths;
import io.i2kit.provider.local.ControlServer;
import io.i2kit.provider.local.Supervisor;
import io.i2kit.provider.local.vm.VmLauncher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The local provider's supervisor, started by {@code i2kit up} in the background; one per
 * application, steered through its control socket. Not meant to be run by hand.
 */
@Command(name = "supervise", hidden = true, description = "Runs an application's local supervisor (started by i2kit up).")
final class SuperviseCommand implements Runnable {
    @Option(names = "--state", required = true, paramLabel = "DIR")
    Path state;

    @Override
    public void run() {
        AppPaths paths = new AppPaths(state);
        try {
            Files.createDirectories(state);
            // The lock stays held until this process ends, however it ends.
            var lock = Supervisor.claim(paths);
            Supervisor supervisor = new Supervisor(paths, VmLauncher.create(),
                    line -> System.out.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " " + line));
            supervisor.resume();
            Runtime.getRuntime().addShutdownHook(new Thread(supervisor::close, "i2kit-shutdown"));
            try (ControlServer control = new ControlServer(paths, supervisor)) {
                System.out.println("supervisor " + ProcessHandle.current().pid() + " serving " + paths.control());
                control.serve();
            }
            supervisor.close();
            Files.deleteIfExists(paths.pid());
            lock.release();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
