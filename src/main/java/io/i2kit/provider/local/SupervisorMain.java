package io.i2kit.provider.local;

import io.i2kit.build.OwnerOnly;
import io.i2kit.provider.local.vm.VmLauncher;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;

/**
 * The supervisor's own process: {@code java -cp i2kit.jar io.i2kit.provider.local.SupervisorMain
 * supervise --state DIR}, started in the background by {@link LocalProvider#up}; one per
 * application, steered through its control socket. It writes its log itself, so what it says
 * survives the terminal that started it; the stray output of the JVM goes to the same file.
 */
public final class SupervisorMain {
    static final String ARGUMENT = "supervise";

    private SupervisorMain() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3 || !args[0].equals(ARGUMENT) || !args[1].equals("--state")) {
            throw new IllegalArgumentException("usage: SupervisorMain supervise --state DIR (started by i2kit up)");
        }
        AppPaths paths = new AppPaths(Path.of(args[2]));
        paths.create();
        // The lock stays held until this process ends, however it ends.
        var lock = SupervisorProcess.claim(paths);
        // Appending, like the redirect: log rotation truncates the file in place.
        PrintStream log = new PrintStream(new FileOutputStream(OwnerOnly.create(paths.log()).toFile(), true), true, StandardCharsets.UTF_8);
        // This process's own output: its log file is to it what the terminal is to the CLI.
        Supervisor supervisor = new Supervisor(paths, VmLauncher.create(), note -> {
            log.println(LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " "
                    + note.service().map(s -> "[" + s + "] ").orElse("i2kit: ") + note.text());
            log.flush();
        });
        supervisor.resume();
        Runtime.getRuntime().addShutdownHook(new Thread(supervisor::close, "i2kit-shutdown"));
        try (ControlServer control = new ControlServer(paths, supervisor)) {
            log.println("supervisor " + ProcessHandle.current().pid() + " serving " + paths.control());
            control.serve();
        }
        supervisor.close();
        Files.deleteIfExists(paths.pid());
        lock.release();
        log.close();
    }
}
