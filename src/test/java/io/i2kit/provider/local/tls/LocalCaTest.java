package io.i2kit.provider.local.tls;

import io.i2kit.I2kitException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.CertPathValidatorException;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LocalCaTest {
    @TempDir
    Path home;

    private Path dir() {
        return home.resolve("ca");
    }

    @Test
    void theCaIsMadeOnceWithItsKeyAndCertificateTheOwnersOnly() throws Exception {
        LocalCa ca = LocalCa.openOrCreate(dir());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir()))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve("ca.pem")))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir().resolve("ca-key.pem")))).isEqualTo("rw-------");
        assertThat(ca.certificateFile()).isEqualTo(dir().resolve("ca.pem"));
        assertThat(Files.readString(dir().resolve("ca-key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");
        // What curl --cacert reads: the file parses as the CA's certificate.
        assertThat(readCertificate(dir().resolve("ca.pem"))).isEqualTo(ca.certificate());
        X509Certificate root = ca.certificate();
        assertThat(root.getBasicConstraints()).isZero();
        assertThat(root.getKeyUsage()[5]).as("keyCertSign").isTrue();
        assertThat(root.getSubjectX500Principal()).isEqualTo(root.getIssuerX500Principal());
    }

    @Test
    void aSecondOpenReusesTheCaSoATrustedFileStaysTrusted() throws Exception {
        LocalCa first = LocalCa.openOrCreate(dir());
        String pem = Files.readString(dir().resolve("ca.pem"));
        String key = Files.readString(dir().resolve("ca-key.pem"));
        LocalCa second = LocalCa.openOrCreate(dir());
        assertThat(second.certificate()).isEqualTo(first.certificate());
        assertThat(Files.readString(dir().resolve("ca.pem"))).isEqualTo(pem);
        assertThat(Files.readString(dir().resolve("ca-key.pem"))).isEqualTo(key);
        // A leaf the second signed verifies against the file the first wrote.
        verify(second.issue(List.of("localhost")).leaf(), readCertificate(dir().resolve("ca.pem")));
    }

    @Test
    void twoProcessesStartingAtOnceMakeOneCa() throws Exception {
        CompletableFuture<LocalCa> a = CompletableFuture.supplyAsync(() -> LocalCa.openOrCreate(dir()));
        CompletableFuture<LocalCa> b = CompletableFuture.supplyAsync(() -> LocalCa.openOrCreate(dir()));
        assertThat(a.get().certificate()).isEqualTo(b.get().certificate());
    }

    @Test
    void aLeafNamesTheLoopbackTheServiceAndItsHostnameAndServesOnlyAsAServer() throws Exception {
        LocalCa ca = LocalCa.openOrCreate(dir());
        ServerIdentity identity = ca.issue(List.of("localhost", "127.0.0.1", "::1", "vote.polls.localhost", "polls.example.com"));
        X509Certificate leaf = identity.leaf();
        assertThat(leaf.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"),
                List.of(2, "vote.polls.localhost"), List.of(2, "polls.example.com"));
        assertThat(leaf.getBasicConstraints()).isEqualTo(-1);
        assertThat(leaf.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(identity.chain()).containsExactly(leaf, ca.certificate());
        verify(leaf, ca.certificate());
        assertThat(leaf.getNotAfter().getTime() - leaf.getNotBefore().getTime())
                .isLessThan(java.time.Duration.ofDays(398).toMillis());
    }

    @Test
    void aLeafOfAnotherHomesCaDoesNotVerify() {
        LocalCa mine = LocalCa.openOrCreate(dir());
        LocalCa other = LocalCa.openOrCreate(home.resolve("other-ca"));
        X509Certificate foreign = other.issue(List.of("localhost")).leaf();
        assertThatThrownBy(() -> verify(foreign, mine.certificate())).isInstanceOf(CertPathValidatorException.class);
    }

    @Test
    void aCaDirectoryOthersCanEnterIsRefused() throws Exception {
        Files.createDirectories(dir());
        Files.setPosixFilePermissions(dir(), PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThatThrownBy(() -> LocalCa.openOrCreate(dir())).isInstanceOf(I2kitException.class)
                .hasMessageContaining("has mode rwxr-xr-x").hasMessageContaining("chmod 700");
    }

    @Test
    void aKeyOthersCanReadIsRefusedRatherThanUsed() throws Exception {
        LocalCa.openOrCreate(dir());
        Files.setPosixFilePermissions(dir().resolve("ca-key.pem"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> LocalCa.openOrCreate(dir())).isInstanceOf(I2kitException.class)
                .hasMessageContaining("ca-key.pem has mode rw-r--r--").hasMessageContaining("chmod 600");
    }

    @Test
    void aDamagedCaSaysHowToStartAgain() throws Exception {
        LocalCa.openOrCreate(dir());
        Files.writeString(dir().resolve("ca.pem"), "not a certificate\n");
        assertThatThrownBy(() -> LocalCa.openOrCreate(dir())).isInstanceOf(I2kitException.class)
                .hasMessageContaining("is damaged").hasMessageContaining("delete " + dir());
    }

    private static X509Certificate readCertificate(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static void verify(X509Certificate leaf, X509Certificate root) throws Exception {
        PKIXParameters parameters = new PKIXParameters(Set.of(new TrustAnchor(root, null)));
        parameters.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(
                CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), parameters);
    }
}
