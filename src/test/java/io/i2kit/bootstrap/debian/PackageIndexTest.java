package io.i2kit.bootstrap.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.testing.ErrorText;
import java.io.BufferedReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.commons.compress.compressors.lz4.FramedLZ4CompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageIndexTest {
    static final String SHA_A = "a".repeat(64);
    static final URI MIRROR = URI.create("http://deb.debian.org/debian");

    @TempDir
    Path tmp;

    static String stanza(String name, String version, String extra) {
        return "Package: " + name + "\nVersion: " + version + "\nArchitecture: amd64\n" + extra
                + "Filename: pool/main/" + name + "_" + version + "_amd64.deb\nSize: 1234\nSHA256: " + SHA_A
                + "\nDescription: test\n  continued description\n\n";
    }

    @Test
    void parsesFieldsContinuationLinesAndPreDependsFirst() {
        String text = stanza("redis-server", "5:7.0.15-1~deb12u10",
                "Pre-Depends: init-system-helpers (>= 1.54~)\nDepends: lsb-base (>= 3.2-14),\n redis-tools (= 5:7.0.15-1~deb12u10)\n"
                        + "Provides: redis (= 7.0), redis-any\n");
        List<DebPackage> parsed = PackagesParser.parse(new BufferedReader(new StringReader(text)), MIRROR, "Packages");
        assertThat(parsed).hasSize(1);
        DebPackage p = parsed.get(0);
        assertThat(p.version().epoch()).isEqualTo(5);
        assertThat(p.depends()).extracting(Dependency::toString)
                .containsExactly("init-system-helpers (>= 1.54~)", "lsb-base (>= 3.2-14)", "redis-tools (= 5:7.0.15-1~deb12u10)");
        assertThat(p.provides()).extracting(Relation::toString).containsExactly("redis (= 7.0)", "redis-any");
        assertThat(p.url()).isEqualTo(URI.create("http://deb.debian.org/debian/pool/main/redis-server_5:7.0.15-1~deb12u10_amd64.deb"));
        assertThat(p.size()).isEqualTo(1234);
    }

    @Test
    void aStanzaWithoutSha256IsRefusedWithItsLine() {
        String text = stanza("a", "1", "") + "Package: b\nVersion: 1\nFilename: b.deb\nSize: 1\n";
        assertThatThrownBy(() -> PackagesParser.parse(new BufferedReader(new StringReader(text)), MIRROR, "P"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ErrorText.of(() -> PackagesParser.parse(new BufferedReader(new StringReader(text)), MIRROR, "P")))
                .isEqualTo("P:10: error: package b has no SHA256 field");
    }

    @Test
    void loadsLz4IndexesOfEverySourceAndPicksTheNewestVersion() throws Exception {
        AptSource main = new AptSource(MIRROR, "bookworm", List.of("main"), List.of());
        AptSource updates = new AptSource(MIRROR, "bookworm-updates", List.of("main"), List.of());
        write(main, stanza("libc6", "2.36-9+deb12u9", "") + stanza("runc", "1.1.5+ds1-1", ""));
        write(updates, stanza("libc6", "2.36-9+deb12u14", ""));
        PackageIndex index = PackageIndex.load(List.of(main, updates), tmp, "amd64");
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.newest("libc6").orElseThrow().version()).hasToString("2.36-9+deb12u14");
    }

    @Test
    void noIndexAtAllAsksForAptGetUpdate() {
        AptSource main = new AptSource(MIRROR, "bookworm", List.of("main"), List.of());
        assertThatThrownBy(() -> PackageIndex.load(List.of(main), tmp, "amd64"))
                .isInstanceOf(I2kitException.class).hasMessageContaining("run apt-get update first");
    }

    private void write(AptSource source, String text) throws Exception {
        Path file = tmp.resolve(source.listFileName(source.packagesPaths("amd64").get(0)) + ".lz4");
        try (OutputStream out = new FramedLZ4CompressorOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }
}
