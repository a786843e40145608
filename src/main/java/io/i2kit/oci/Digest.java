package io.i2kit.oci;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** A content digest, {@code sha256:<64 hex digits>}: the identity of every blob, image and build. */
public record Digest(String hex) implements Comparable<Digest> {
    private static final Pattern HEX = Pattern.compile("[a-f0-9]{64}");

    public Digest {
        if (!HEX.matcher(hex).matches()) {
            throw new IllegalArgumentException("not a sha256 digest: " + hex);
        }
    }

    /** Parses {@code sha256:<hex>}; other algorithms are refused rather than trusted unchecked. */
    public static Digest parse(String text) {
        if (!text.startsWith("sha256:") || !HEX.matcher(text.substring(7)).matches()) {
            throw new IllegalArgumentException("\"" + text + "\" is not a digest of the form sha256:<64 lowercase hex digits>");
        }
        return new Digest(text.substring(7));
    }

    /**
     * The {@link #shortForm()} of a digest carried as text, {@code sha256:<hex>}. Text that is not a digest
     * is returned as it is: it may come from outside (a stack parameter), and a status line should show it
     * rather than fail.
     */
    public static String shortForm(String text) {
        return text.startsWith("sha256:") && HEX.matcher(text.substring(7)).matches()
                ? text.substring(7, 7 + 12) : text;
    }

    public static Digest of(byte[] bytes) {
        return new Digest(HexFormat.of().formatHex(sha256().digest(bytes)));
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static Digest of(MessageDigest finished) {
        return new Digest(HexFormat.of().formatHex(finished.digest()));
    }

    /**
     * The first 12 hex digits, without the algorithm: what people know from {@code docker images}.
     * The one form for messages, progress, plan and status output, and AMI names.
     */
    public String shortForm() {
        return hex.substring(0, 12);
    }

    @Override
    public String toString() {
        return "sha256:" + hex;
    }

    @Override
    public int compareTo(Digest other) {
        return hex.compareTo(other.hex);
    }
}
