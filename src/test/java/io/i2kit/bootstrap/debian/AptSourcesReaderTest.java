package io.i2kit.bootstrap.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.InvalidInputException;
import io.i2kit.testing.ErrorText;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AptSourcesReaderTest {
    @TempDir
    Path tmp;

    @Test
    void oneLineFormatWithOptionsCommentsAndSourceLines() {
        List<AptSource> sources = AptSourcesReader.parseOneLine("""
                # the main archive
                deb [arch=amd64 signed-by=/usr/share/keyrings/debian.gpg] http://deb.debian.org/debian bookworm main contrib # trailing
                deb-src http://deb.debian.org/debian bookworm main

                deb http://security.debian.org/debian-security bookworm-security main
                """, "sources.list");
        assertThat(sources).containsExactly(
                new AptSource(URI.create("http://deb.debian.org/debian"), "bookworm", List.of("main", "contrib"), List.of("amd64")),
                new AptSource(URI.create("http://security.debian.org/debian-security"), "bookworm-security", List.of("main"), List.of()));
    }

    @Test
    void oneLineWithoutSuiteIsAnErrorWithItsLine() {
        assertThatThrownBy(() -> AptSourcesReader.parseOneLine("\ndeb http://x/debian\n", "s.list"))
                .isInstanceOf(InvalidInputException.class);
        assertThat(ErrorText.of(() -> AptSourcesReader.parseOneLine("\ndeb http://x/debian\n", "s.list")))
                .isEqualTo("s.list:2: error: a deb line needs a URI and a suite");
    }

    @Test
    void deb822ExpandsEverySuiteAndSkipsDisabledAndSourceStanzas() {
        List<AptSource> sources = AptSourcesReader.parseDeb822("""
                Types: deb
                # http://snapshot.debian.org/archive/debian/20250520T000000Z
                URIs: http://deb.debian.org/debian
                Suites: bookworm bookworm-updates
                Components: main
                Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

                Types: deb-src
                URIs: http://deb.debian.org/debian
                Suites: bookworm
                Components: main

                Types: deb
                URIs: http://example.org/x
                Suites: stable
                Components: main
                Enabled: no
                """, "debian.sources");
        assertThat(sources).extracting(AptSource::suite).containsExactly("bookworm", "bookworm-updates");
        assertThat(sources.get(0).uri()).isEqualTo(URI.create("http://deb.debian.org/debian"));
    }

    @Test
    void listFileNamesAreApts() {
        AptSource s = new AptSource(URI.create("http://deb.debian.org/debian-security"), "bookworm-security", List.of("main"), List.of());
        assertThat(s.packagesPaths("amd64")).containsExactly("dists/bookworm-security/main/binary-amd64/Packages");
        assertThat(s.listFileName(s.packagesPaths("amd64").get(0)))
                .isEqualTo("deb.debian.org_debian-security_dists_bookworm-security_main_binary-amd64_Packages");
        AptSource tilde = new AptSource(URI.create("https://user:pw@example.org/~me/repo/"), "stable", List.of("main"), List.of());
        assertThat(tilde.listFileName("dists/stable/main/binary-amd64/Packages"))
                .isEqualTo("example.org_%7eme_repo_dists_stable_main_binary-amd64_Packages");
    }

    @Test
    void readsSourcesListAndOnlyListOrSourcesFilesOfTheDirectory() throws Exception {
        Files.writeString(tmp.resolve("sources.list"), "deb http://a/debian bookworm main\n");
        Files.createDirectories(tmp.resolve("sources.list.d"));
        Files.writeString(tmp.resolve("sources.list.d/b.sources"), "Types: deb\nURIs: http://b/debian\nSuites: bookworm\nComponents: main\n");
        Files.writeString(tmp.resolve("sources.list.d/c.list.disabled"), "deb http://c/debian bookworm main\n");
        assertThat(AptSourcesReader.read(tmp)).extracting(s -> s.uri().getHost()).containsExactly("a", "b");
    }
}
