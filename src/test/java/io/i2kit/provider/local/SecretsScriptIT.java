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

    /**
     * An image's secret template (the redis image's requirepass line) gets every byte of the value as
     * \\xHH, which reads back as the value; a template naming a variable the container lacks renders
     * nothing and fails; a template that is a link is not followed.
     */
    @Test
    void aSecretTemplateGetsTheValueEscapedByteByByte() throws Exception {
        byte[] value = AWKWARD.getBytes(StandardCharsets.UTF_8);
        Path values = Files.createDirectories(dir.resolve("values"));
        Files.write(values.resolve("db-pw"), value);
        Path names = Files.writeString(dir.resolve("names"), "REDIS_PASSWORD db-pw\n");
        Path templates = Files.createDirectories(dir.resolve("db/rootfs/etc/i2kit/secret-templates"));
        Files.writeString(templates.resolve("auth.conf"), "# {{ not a name }} stays\nrequirepass \"{{REDIS_PASSWORD}}\"\n");
        Files.createSymbolicLink(templates.resolve("link.conf"), dir.resolve("names"));
        Path out = Files.createDirectories(dir.resolve("out"));
        String render = ". " + INIT_FILES.resolve("usr/lib/i2kit/secrets.sh") + "; secret_values=" + values + "; i2kit_lib="
                + INIT_FILES.resolve("usr/lib/i2kit") + "; render_templates " + dir.resolve("db") + " " + names + " " + out
                + " $(id -u) $(id -g)";
        run(render);

        List<String> lines = Files.readAllLines(out.resolve("auth.conf"), StandardCharsets.ISO_8859_1);
        assertThat(lines.get(0)).isEqualTo("# {{ not a name }} stays");
        assertThat(lines.get(1)).matches("requirepass \"(\\\\x[0-9a-f]{2})+\"");
        String hex = lines.get(1).substring("requirepass \"".length(), lines.get(1).length() - 1).replace("\\x", "");
        assertThat(java.util.HexFormat.of().parseHex(hex)).isEqualTo(value);
        assertThat(Files.getPosixFilePermissions(out.resolve("auth.conf")))
                .isEqualTo(java.nio.file.attribute.PosixFilePermissions.fromString("r--------"));
        assertThat(out.resolve("link.conf")).doesNotExist();

        Files.writeString(templates.resolve("other.conf"), "user {{ADMIN_PASSWORD}}\n");
        Files.delete(out.resolve("auth.conf"));
        assertThat(status(render)).isEqualTo(1);
        assertThat(out.resolve("other.conf")).doesNotExist();
    }

    private static String run(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", "log() { echo \"i2kit: $*\" >&2; }; " + script)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(script).isZero();
        return out;
    }

    private static int status(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/busybox", "sh", "-c", "log() { echo \"i2kit: $*\" >&2; }; " + script)
                .redirectError(ProcessBuilder.Redirect.INHERIT).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        return p.waitFor();
    }
}
