package io.i2kit.oci.layout;

import io.i2kit.oci.ImageReference;
import io.i2kit.oci.CorruptImageException;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageContent;
import io.i2kit.oci.ImageIndex;
import io.i2kit.oci.ImageJson;
import io.i2kit.oci.ImageNotFoundException;
import io.i2kit.oci.ImagePuller;
import io.i2kit.oci.ImageSource;
import io.i2kit.oci.Platform;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Images in an OCI image layout on disk, {@code oci:DIR[:TAG]}, DIR relative to the manifest's
 * directory. The tag is the {@code org.opencontainers.image.ref.name} annotation of an entry of
 * {@code index.json}; without a tag the layout must hold exactly one entry. An entry may itself be
 * an index, from which the platform's manifest is chosen.
 */
public final class OciLayoutSource implements ImageSource {
    static final String REF_NAME = "org.opencontainers.image.ref.name";

    private final BlobStore store;
    private final Path baseDirectory;

    public OciLayoutSource(BlobStore store, Path baseDirectory) {
        this.store = store;
        this.baseDirectory = baseDirectory;
    }

    @Override
    public Optional<Digest> resolve(ImageReference reference) {
        if (reference.source() != ImageReference.Source.OCI_LAYOUT) {
            return Optional.empty();
        }
        return Optional.of(entry(reference).digest());
    }

    /** With {@code pinned}, the layout must still hold that digest (its tag may have moved on). */
    @Override
    public Optional<PulledImage> pull(ImageReference reference, Optional<Digest> pinned, Platform platform,
                                      Progress progress) {
        if (reference.source() != ImageReference.Source.OCI_LAYOUT) {
            return Optional.empty();
        }
        Path dir = directory(reference);
        Optional<Digest> expected = pinned.or(() -> reference.pinnedDigest().map(Digest::parse));
        Descriptor top = expected.isPresent() ? null : entry(reference);
        Digest topDigest = expected.isPresent() ? expected.get() : top.digest();
        ImageContent content = new ImageContent() {
            @Override
            public byte[] manifest(Descriptor descriptor) {
                return read(dir, descriptor.digest(), reference);
            }

            @Override
            public InputStream blob(Descriptor descriptor) {
                try {
                    return Files.newInputStream(blobPath(dir, descriptor.digest()));
                } catch (IOException e) {
                    throw missing(dir, descriptor.digest(), reference);
                }
            }
        };
        byte[] bytes = ImagePuller.verified(read(dir, topDigest, reference), topDigest, "the manifest of " + reference);
        return Optional.of(new ImagePuller(store).pull(reference.toString(), bytes,
                Optional.ofNullable(top).map(Descriptor::mediaType), platform, content, progress));
    }

    private Descriptor entry(ImageReference reference) {
        Path dir = directory(reference);
        Path indexFile = dir.resolve("index.json");
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(indexFile);
        } catch (IOException e) {
            throw new ImageNotFoundException("cannot resolve " + reference + ": " + dir
                    + " is not an OCI image layout (no index.json); build the image into it first, or fix the path, "
                    + "which is relative to the manifest's directory " + baseDirectory);
        }
        if (!(ImageJson.document(bytes, Optional.empty(), indexFile.toString()) instanceof ImageIndex index)) {
            throw new CorruptImageException(indexFile + " is not an image index");
        }
        List<String> tags = new ArrayList<>();
        for (Descriptor d : index.manifests()) {
            String name = d.annotations().get(REF_NAME);
            tags.add(name);
            if (reference.tag() == null ? index.manifests().size() == 1 : reference.tag().equals(name)) {
                return d;
            }
        }
        throw new ImageNotFoundException("cannot resolve " + reference + ": " + (reference.tag() == null
                ? "the layout " + dir + " holds " + tags.size() + " images; name one with oci:DIR:TAG (tags: " + tags + ")"
                : "no image tagged \"" + reference.tag() + "\" in " + dir + " (tags: " + tags + ")"));
    }

    private Path directory(ImageReference reference) {
        return baseDirectory.resolve(reference.path()).normalize();
    }

    private static Path blobPath(Path dir, Digest digest) {
        return dir.resolve("blobs").resolve("sha256").resolve(digest.hex());
    }

    private static byte[] read(Path dir, Digest digest, ImageReference reference) {
        try {
            return Files.readAllBytes(blobPath(dir, digest));
        } catch (NoSuchFileException e) {
            throw missing(dir, digest, reference);
        } catch (IOException e) {
            throw new CorruptImageException("cannot read blob " + digest + " of " + reference + " in " + dir + ": "
                    + e.getMessage(), e);
        }
    }

    private static ImageNotFoundException missing(Path dir, Digest digest, ImageReference reference) {
        return new ImageNotFoundException("cannot pull " + reference + ": the layout " + dir + " has no blob " + digest
                + "; the layout is incomplete or its tag moved since the lock was written (i2kit lock --update)");
    }
}
