package io.i2kit.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's JSON reader (json.awk and metadata.awk) under this machine's busybox awk, the one the VM runs:
 * the layout it prints, the contents it writes, and what it refuses.
 */
class MetadataReaderIT {
    private static final Path JSON = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit/json.awk");
    private static final Path READER = TestInitrd.INIT_FILES.resolve("usr/lib/i2kit/metadata.awk");

    @TempDir
    Path dir;

    @Test
    void laysOutLinuxkitsFormat() throws IOException {
        String out = read("{\"i2kit\":{\"entries\":{\"search\":{\"content\":\"polls.i2kit.internal\"},"
                + "\"hosts\":{\"content\":\"10.0.2.100 queue\\n\"}}},"
                + " \"ssh\": {\"perm\": \"0700\", \"entries\": {\"keys\": {\"perm\": \"0600\", \"content\": \"k\"}}}}");
        assertThat(out).isEqualTo(String.join("\n",
                "dir 0755 /run/config/i2kit",
                "file 0644 " + dir + "/1 /run/config/i2kit/search",
                "file 0644 " + dir + "/2 /run/config/i2kit/hosts",
                "dir 0700 /run/config/ssh",
                "file 0600 " + dir + "/3 /run/config/ssh/keys", ""));
        assertThat(dir.resolve("1")).hasContent("polls.i2kit.internal");
        assertThat(Files.readString(dir.resolve("2"))).isEqualTo("10.0.2.100 queue\n");
    }

    @Test
    void decodesEscapes() throws IOException {
        read("{\"f\":{\"content\":\"a\\\"b\\\\c\\/d\\te\\n\\u0041\\u00e9\\u20ac\\ud83d\\ude00\"}}");
        assertThat(Files.readString(dir.resolve("1"), StandardCharsets.UTF_8)).isEqualTo("a\"b\\c/d\te\nAé€😀");
    }

    @Test
    void skipsNamesThatLeaveTheDirectoryAndEntriesThatAreNotFiles() throws IOException {
        String out = read("{\"..\":{\"content\":\"x\"},\"a/b\":{\"content\":\"x\"},\"n\":{\"content\":3},"
                + "\"both\":{\"content\":\"x\",\"entries\":{}},\"ok\":{\"content\":\"\"},\"l\":[1,true,null]}");
        assertThat(out).isEqualTo("file 0644 " + dir + "/1 /run/config/ok\n");
        assertThat(dir.resolve("1")).isEmptyFile();
    }

    @Test
    void refusesWhatIsNotJson() throws IOException {
        assertThat(status("#cloud-config\nhostname: x\n")).isEqualTo(1);
        assertThat(status("{\"a\":{\"content\":\"unterminated}}")).isEqualTo(1);
        assertThat(status("{\"a\":1} trailing")).isEqualTo(1);
    }

    private String read(String payload) throws IOException {
        Process process = start(payload);
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(waitFor(process)).isZero();
        return out;
    }

    private int status(String payload) throws IOException {
        Process process = start(payload);
        process.getInputStream().readAllBytes();
        return waitFor(process);
    }

    private Process start(String payload) throws IOException {
        Path file = Files.writeString(dir.resolve("payload.json"), payload);
        return new ProcessBuilder(List.of("/bin/busybox", "awk", "-v", "base=/run/config", "-v", "tmp=" + dir,
                "-f", JSON.toString(), "-f", READER.toString(), file.toString()))
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static int waitFor(Process process) {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
