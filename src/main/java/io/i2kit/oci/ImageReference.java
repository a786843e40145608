package io.i2kit.oci;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Where a container image comes from: a registry ({@code redis} means
 * {@code docker.io/library/redis:latest}), an OCI image layout ({@code oci:DIR[:TAG]}) or a
 * {@code docker save} archive ({@code docker-archive:FILE}). Local paths are relative to the manifest.
 */
public record ImageReference(Source source, String registry, String repository, String tag, String digest, String path) {
    public enum Source { REGISTRY, OCI_LAYOUT, DOCKER_ARCHIVE }

    public static final String DOCKER_HUB = "docker.io";
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern HOST = Pattern.compile("(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?");

    /** Parses a reference; the error says what is wrong with it. */
    public static Result parse(String text) {
        if (text.startsWith("oci:")) {
            String rest = text.substring(4);
            int colon = rest.lastIndexOf(':');
            String dir = colon > 0 ? rest.substring(0, colon) : rest;
            String tag = colon > 0 ? rest.substring(colon + 1) : null;
            if (dir.isEmpty()) {
                return Result.error("oci: needs a directory, as in oci:images/web:latest");
            }
            if (tag != null && !TAG.matcher(tag).matches()) {
                return Result.error("\"" + tag + "\" is not a valid tag");
            }
            return Result.ok(new ImageReference(Source.OCI_LAYOUT, null, null, tag, null, dir));
        }
        if (text.startsWith("docker-archive:")) {
            String file = text.substring("docker-archive:".length());
            if (file.isEmpty()) {
                return Result.error("docker-archive: needs a file, as in docker-archive:web.tar");
            }
            return Result.ok(new ImageReference(Source.DOCKER_ARCHIVE, null, null, null, null, file));
        }
        String rest = text;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Result.error("digest \"" + digest + "\" is not sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int slash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > slash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Result.error("\"" + tag + "\" is not a valid tag");
            }
        }
        String registry = DOCKER_HUB;
        int first = rest.indexOf('/');
        if (first > 0) {
            String head = rest.substring(0, first);
            if (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase(java.util.Locale.ROOT))) {
                if (!HOST.matcher(head).matches()) {
                    return Result.error("\"" + head + "\" is not a valid registry host");
                }
                registry = head;
                rest = rest.substring(first + 1);
            }
        }
        if (rest.isEmpty()) {
            return Result.error("the image name is empty");
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                return Result.error("\"" + component + "\" is not a valid name component (lowercase letters, digits, and . _ - between them)");
            }
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return Result.ok(new ImageReference(Source.REGISTRY, registry, rest, tag, digest, null));
    }

    public Optional<String> pinnedDigest() {
        return Optional.ofNullable(digest);
    }

    /** This reference pinned to {@code newDigest}, keeping the tag for readers. */
    public ImageReference withDigest(String newDigest) {
        return new ImageReference(source, registry, repository, tag, newDigest, path);
    }

    /** Canonical, fully qualified spelling; equal references have equal spellings. */
    @Override
    public String toString() {
        return switch (source) {
            case OCI_LAYOUT -> "oci:" + path + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
            case DOCKER_ARCHIVE -> "docker-archive:" + path + (digest != null ? "@" + digest : "");
            case REGISTRY -> registry + "/" + repository + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
        };
    }

    public record Result(Optional<ImageReference> reference, String error) {
        static Result ok(ImageReference ref) {
            return new Result(Optional.of(ref), null);
        }

        static Result error(String message) {
            return new Result(Optional.empty(), message);
        }
    }
}
