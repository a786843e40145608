package io.i2kit.provider.local.tls;

import io.i2kit.I2kitException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemGenerationException;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The certificate authority of one {@code $I2KIT_HOME}: made once ({@code ca/ca.pem} and
 * {@code ca/ca-key.pem}, both 0600 in a 0700 directory), then reused by every application and
 * supervisor of that home, so a client that trusts {@code ca.pem} once trusts every local https
 * and tls port from then on. Leaf certificates are issued in memory each time a balancer opens:
 * they are cheap (P-256), and a key that never touches the disk cannot leak from it.
 */
public final class LocalCa {
    public static final String CERTIFICATE = "ca.pem";
    public static final String KEY = "ca-key.pem";
    /** Long enough never to bother a developer; the key never leaves the owner's home. */
    static final Duration CA_VALIDITY = Duration.ofDays(3650);
    /** Below the 398 days browsers accept for a server certificate. */
    static final Duration LEAF_VALIDITY = Duration.ofDays(397);
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Path dir;
    private final X509Certificate certificate;
    private final PrivateKey key;

    private LocalCa(Path dir, X509Certificate certificate, PrivateKey key) {
        this.dir = dir;
        this.certificate = certificate;
        this.key = key;
    }

    /**
     * The CA in {@code dir} ({@code $I2KIT_HOME/ca}), made first if it is not there. Two processes
     * that start at once (two applications' supervisors) take turns at a lock, so one CA is made.
     */
    public static LocalCa openOrCreate(Path dir) {
        // The file lock keeps other processes out; threads of this one (two services' balancers) take turns here.
        synchronized (LocalCa.class) {
            return openOrCreateLocked(dir);
        }
    }

    private static LocalCa openOrCreateLocked(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
            }
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(dir);
            if (!OWNER_DIR.containsAll(mode)) {
                throw new I2kitException("the local CA's directory " + dir + " has mode " + PosixFilePermissions.toString(mode)
                        + ", so other users could read its key; hint: chmod 700 " + dir);
            }
            try (FileChannel lockFile = FileChannel.open(dir.resolve(".lock"), Set.of(StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE), PosixFilePermissions.asFileAttribute(OWNER_FILE));
                 FileLock ignored = lockFile.lock()) {
                Path cert = dir.resolve(CERTIFICATE);
                Path keyFile = dir.resolve(KEY);
                if (Files.exists(cert) && Files.exists(keyFile)) {
                    return load(dir, cert, keyFile);
                }
                return create(dir, cert, keyFile);
            }
        } catch (IOException e) {
            throw new I2kitException("cannot open the local CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    /** The file clients trust ({@code curl --cacert}, a browser's authorities). */
    public Path certificateFile() {
        return dir.resolve(CERTIFICATE);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /**
     * A server certificate for {@code names} (DNS names, or IP literals such as {@code 127.0.0.1}
     * and {@code ::1}), with a key of its own, signed by this CA.
     */
    public ServerIdentity issue(List<String> names) {
        if (names.isEmpty()) {
            throw new IllegalArgumentException("a certificate needs a name");
        }
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            List<GeneralName> alternatives = new ArrayList<>();
            for (String name : new LinkedHashSet<>(names)) {
                alternatives.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name));
            }
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate,
                    serial(), Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(LEAF_VALIDITY)),
                    new X500Name("CN=" + names.get(0)), pair.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                    .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(alternatives.toArray(GeneralName[]::new)))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()))
                    .addExtension(Extension.authorityKeyIdentifier, false, extensions.createAuthorityKeyIdentifier(certificate));
            X509Certificate leaf = sign(builder, key);
            return new ServerIdentity(pair.getPrivate(), List.of(leaf, certificate));
        } catch (GeneralSecurityException | IOException | OperatorCreationException e) {
            throw new I2kitException("cannot issue a certificate for " + names + " from the local CA: " + e.getMessage(), e);
        }
    }

    private static LocalCa load(Path dir, Path cert, Path keyFile) throws IOException {
        requireOwnerOnly(cert);
        requireOwnerOnly(keyFile);
        try (PEMParser certs = new PEMParser(new StringReader(Files.readString(cert)));
             PEMParser keys = new PEMParser(new StringReader(Files.readString(keyFile)))) {
            Object c = certs.readObject();
            Object k = keys.readObject();
            if (!(c instanceof X509CertificateHolder holder) || !(k instanceof PrivateKeyInfo info)) {
                throw new I2kitException("the local CA in " + dir + " is damaged (" + CERTIFICATE + " or " + KEY
                        + " is not what i2kit wrote); hint: delete " + dir + " to make a new one, then trust the new "
                        + cert + " again");
            }
            return new LocalCa(dir, new JcaX509CertificateConverter().getCertificate(holder),
                    new JcaPEMKeyConverter().getPrivateKey(info));
        } catch (CertificateException e) {
            throw new I2kitException("the local CA certificate " + cert + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static void requireOwnerOnly(Path file) throws IOException {
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
        if (!OWNER_FILE.containsAll(mode)) {
            throw new I2kitException(file + " has mode " + PosixFilePermissions.toString(mode)
                    + "; the local CA's files must be the owner's only; hint: chmod 600 " + file);
        }
    }

    private static LocalCa create(Path dir, Path cert, Path keyFile) throws IOException {
        try {
            KeyPair pair = newKeyPair();
            Instant now = Instant.now();
            // Named for its owner and day, so that a browser's list of authorities tells two of them apart.
            String owner = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9._-]", "");
            X500Name name = new X500Name("CN=i2kit local CA (" + owner + " " + now.toString().substring(0, 10) + "),O=i2kit");
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic())
                    // pathLen 0: it signs server certificates only, never another authority.
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            X509Certificate ca = sign(builder, pair.getPrivate());
            // The key first: a certificate without its key would be taken for a whole CA by the next start.
            writeOwnerOnly(keyFile, pem(new JcaPKCS8Generator(pair.getPrivate(), null).generate()));
            writeOwnerOnly(cert, pem(ca));
            return new LocalCa(dir, ca, pair.getPrivate());
        } catch (GeneralSecurityException | OperatorCreationException | PemGenerationException e) {
            throw new I2kitException("cannot make the local CA in " + dir + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, PrivateKey signer)
            throws OperatorCreationException, CertificateException {
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(signer)));
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return generator.generateKeyPair();
    }

    private static BigInteger serial() {
        return new BigInteger(127, RANDOM).add(BigInteger.ONE);
    }

    private static boolean isIpLiteral(String name) {
        return name.contains(":") || name.matches("[0-9.]+");
    }

    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** Written beside the target and moved into place, so a reader never sees half a file. */
    private static void writeOwnerOnly(Path file, String content) throws IOException {
        Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                PosixFilePermissions.asFileAttribute(OWNER_FILE));
        try {
            Files.writeString(temp, content);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
