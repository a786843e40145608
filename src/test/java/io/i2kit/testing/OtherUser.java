package io.i2kit.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * An unprivileged user for tests that run as root: a uid with no passwd entry and no process (as a
 * container's {@code --user 12345} gets), commands run as it through {@code setpriv}, and a
 * directory it owns. Such a uid has no name, so the JVM's {@code user.name} is {@code "?"}: what
 * runs as it must not rely on names.
 */
public final class OtherUser {
    private final int uid;

    private OtherUser(int uid) {
        this.uid = uid;
    }

    /**
     * The first uid from {@code from} with no passwd entry and no process; aborts the test (an
     * assumption) unless it runs as root, which alone may switch users.
     */
    public static OtherUser free(int from) {
        assumeTrue(currentUid() == 0, "this test switches to an unprivileged user, which needs root; it runs as uid "
                + currentUid());
        for (int uid = from; uid < from + 100; uid++) {
            if (!named(uid) && new OtherUser(uid).processes().isEmpty()) {
                return new OtherUser(uid);
            }
        }
        throw new AssertionError("no free uid in " + from + ".." + (from + 99));
    }

    public int uid() {
        return uid;
    }

    /** {@code command} as this user, with its own group and no supplementary groups. */
    public List<String> command(String... command) {
        List<String> all = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + uid, "--clear-groups", "--"));
        all.addAll(List.of(command));
        return all;
    }

    /** A new directory under /tmp that this user owns, mode 0700. */
    public Path ownedDirectory(String prefix) throws IOException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), prefix);
        chown(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Gives {@code path} and everything under it to this user. */
    public void chown(Path path) {
        Commands.run("chown", "-R", uid + ":" + uid, path.toString());
    }

    /**
     * Why this user cannot create a user and network namespace (what i2kit does for each VM when it
     * is not root), or empty when it can.
     */
    public Optional<String> userNamespaceProblem() {
        try {
            Process p = new ProcessBuilder(command("unshare", "--user", "--map-root-user", "--net", "true"))
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return Optional.of("unshare --user --net as uid " + uid + " did not finish in 30 s");
            }
            return p.exitValue() == 0 ? Optional.empty() : Optional.of(out);
        } catch (IOException e) {
            return Optional.of(e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        }
    }

    /** Every live process running as this user, QEMU in its user namespace included. */
    public List<ProcessHandle> processes() {
        return ProcessHandle.allProcesses().filter(p -> ownerOf(p.pid()).filter(o -> o == uid).isPresent()).toList();
    }

    /** Ends whatever still runs as this user (SIGKILL), so that a failed test leaves nothing behind. */
    public void killAll() {
        for (int round = 0; round < 3 && !processes().isEmpty(); round++) {
            processes().forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle p : processes()) {
                p.onExit().completeOnTimeout(p, Duration.ofSeconds(10).toMillis(), TimeUnit.MILLISECONDS).join();
            }
        }
    }

    /** Removes {@code dir} (as root: whatever this user left there). */
    public static void delete(Path dir) {
        if (dir != null && Files.exists(dir)) {
            Commands.run("rm", "-rf", dir.toString());
        }
    }

    /** Every path under {@code root} ({@code root} included) whose owner is not this user, with its owner's uid. */
    public List<String> notOwned(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> ownerOf(p).filter(o -> o == uid).isEmpty())
                    .map(p -> p + " (uid " + ownerOf(p).map(String::valueOf).orElse("?") + ")").toList();
        }
    }

    private static Optional<Integer> ownerOf(long pid) {
        return ownerOf(Path.of("/proc", Long.toString(pid)));
    }

    private static Optional<Integer> ownerOf(Path path) {
        try {
            return Optional.of((Integer) Files.getAttribute(path, "unix:uid", java.nio.file.LinkOption.NOFOLLOW_LINKS));
        } catch (IOException e) {
            return Optional.empty(); // gone meanwhile
        }
    }

    private static boolean named(int uid) {
        try {
            Process p = new ProcessBuilder("getent", "passwd", Integer.toString(uid)).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() != 2; // 2: no such entry
        } catch (IOException e) {
            throw new AssertionError("cannot run getent: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return true;
        }
    }

    private static int currentUid() {
        return ownerOf(Path.of("/proc/self")).orElse(-1);
    }
}
