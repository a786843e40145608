package io.i2kit.provider.local;

import io.i2kit.I2kitException;
import java.nio.file.Path;

/**
 * The CLI's side of the control socket as a process of its own, so that a test can run it as
 * another user: {@code ControlClient status|down SOCKET} prints the supervisor's pid (status) and
 * exits 0, or prints the error and exits 1.
 */
final class ControlClient {
    private ControlClient() {
    }

    public static void main(String[] args) {
        Path socket = Path.of(args[1]);
        try {
            if (args[0].equals("down")) {
                ControlChannel.down(socket, note -> { });
                System.out.println("stopped");
            } else {
                System.out.println(ControlChannel.status(socket).supervisorPid());
            }
        } catch (I2kitException e) {
            System.out.println(e.getMessage());
            System.exit(1);
        }
    }
}
