package io.i2kit.provider.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.i2kit.build.BundleSpec;
import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.oci.ImageConfig;
import io.i2kit.oci.Platform;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The init's secret handling (secrets.sh, metadata.awk) under this machine's busybox, the one the
 * VM runs: a value with every awkward byte survives the fw_cfg payload byte for byte, and reaches a
 * bundle's config.json as a JSON string the runtime reads back as the same value.
 */
class SecretsScriptIT {
    private static final Path INIT_FILES = Path.of("src/main/resources/io/i2kit/bootstrap/init-files");
    /** Quote, backslash, newline, CR, tab, a control byte, DEL, '&' (awk's sub() would eat it), UTF-8. */
    private static final String AWKWARD = "p\"a\\s&s\nw\r\to\u0001r\u007fd é€ 😀 $(x) `y` '%s'";

    @TempDir
    Path dir;

    @Test
    void theFwCfgPayloadKeepsEveryByte() throws Exception {
        byte[] raw = {'a', (byte) 0xff, (byte) 0x80, '"', '\n', 'z'};
        for (byte[] value : List.of(AWKWARD.getBytes(StandardCharsets.UTF_8), raw)) {
            ByteArrayOutputStream json = new ByteArrayOutputStream();
            json.writeBytes("{\"s\":{\"perm\":\"0400\",\"content\":\"".getBytes(StandardCharsets.US_ASCII));
            SecretDelivery.escape(value, json);
            json.writeBytes("\"}}\n".getBytes(StandardCharsets.US_ASCII));
            Path payload = Files.write(dir.resolve("payload.json"), json.toByteArray());
            Path tmp = Files.createDirectories(dir.resolve("tmp"));
            Path parser = INIT_FILES.resolve("usr/lib/i2kit/json.awk");
            String out = run("awk -v base=/values -v tmp=" + tmp + (Files.exists(parser) ? " -f " + parser : "") + " -f "
                    + INIT_FILES.resolve("usr/lib/i2kit/metadata.awk") + " " + payload);
            assertThat(out).isEqualTo("file 0400 " + tmp + "/1 /values/s\n");
            assertThat(Files.readAllBytes(tmp.resolve("1"))).isEqualTo(value);
        }
    }

    @Test
    void theEnvironmentIsFilledIntoConfigJsonAsTheSameValue() throws Exception {
        Path value = Files.write(dir.resolve("value"), AWKWARD.getBytes(StandardCharsets.UTF_8));
        for (List<String> imageEnv : List.of(List.of("PATH=/bin", "A=b"), List.<String>of())) {
            ImageConfig image = new ImageConfig(Platform.LINUX_AMD64, List.of(), List.of("sh"), imageEnv, Optional.empty(),
                    Optional.of("1000:1001"), Map.of(), List.of());
            Path config = Files.writeString(dir.resolve("config.json"), BundleSpec.config(ContainerTemplate.of("db", "x"), image));
            Path entries = dir.resolve("entries");
            run(". " + INIT_FILES.resolve("usr/lib/i2kit/secrets.sh") + "; { printf '\"%s=' DB_PASSWORD; json_escape " + value
                    + "; printf '\"\\n'; printf '\"OTHER=x\"\\n'; } >" + entries + " && fill_env " + config + " " + entries
                    + " && echo uid=$(config_id " + config + " uid) gid=$(config_id " + config + " gid)");
            JsonNode env = new ObjectMapper().readTree(config.toFile()).path("process").path("env");
            List<String> expected = new java.util.ArrayList<>(List.of("DB_PASSWORD=" + AWKWARD, "OTHER=x"));
            expected.addAll(imageEnv);
            assertThat(env).extracting(JsonNode::asText).containsExactlyElementsOf(expected);
            assertThat(Files.getPosixFilePermissions(config)).isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        }
        assertThat(run(". " + INIT_FILES.resolve("usr/lib/i2kit/secrets.sh") + "; config_id " + dir.resolve("config.json")
                + " uid; config_id " + dir.resolve("config.json") + " gid")).isEqualTo("1000\n1001\n");
    }

    private static String run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", "log() { echo \"i2kit: $*\" >&2; }; " + script)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(script).isZero();
        return out;
    }
}
