package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.image.Compression;
import io.i2kit.image.Entry;
import io.i2kit.image.InitrdWriter;
import io.i2kit.image.LayerUnpacker;
import io.i2kit.linuxkit.LinuxkitReader;
import io.i2kit.linuxkit.LinuxkitTemplate;
import io.i2kit.oci.Digest;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds one service's image from its LinuxKit YAML, whose references are all pinned and whose
 * images are pulled: assemble the root, write the initrd, copy the kernel, derive the identity,
 * package raw-efi when asked, record, publish. The same YAML, compression and builder give the
 * same bytes, so the build cache is keyed by exactly those inputs.
 */
public final class ServiceBuilder {
    /** Changes whenever the builder's output for the same inputs changes, invalidating the cache. */
    static final String BUILDER = "i2kit-builder/2";

    private final BuildCache cache;
    private final ImageAssembler assembler;
    private final EfiPackager efi;

    public ServiceBuilder(I2kitHome home, EfiPackager efi) {
        this.cache = new BuildCache(home.builds());
        this.assembler = new ImageAssembler(home.blobs(), new LayerUnpacker(home.blobs(), home));
        this.efi = efi;
    }

    /** What is built, from what: the YAML text is the description, the images its pulled references. */
    public record Request(String application, String service, String linuxkitYaml, Map<String, PulledImage> images,
                          Compression compression, boolean rawEfi) {
    }

    /**
     * The key of the build cache: everything the output depends on. The images' digests are part
     * of it even though pinned YAML names them, so an unpinned reference can never hit a stale build.
     */
    static Digest inputs(Request r) {
        StringBuilder key = new StringBuilder(BUILDER).append("\ncompression ").append(r.compression())
                .append("\nraw-efi ").append(r.rawEfi()).append('\n');
        new TreeMap<>(r.images()).forEach((ref, image) -> key.append("image ").append(ref).append(' ')
                .append(image.manifestDigest()).append('\n'));
        key.append(r.linuxkitYaml());
        return Digest.of(key.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The image built before from the same inputs, once its kernel and initrd are checked against
     * the digest the build directory is named by: a file damaged on disk is a miss and is rebuilt,
     * never booted.
     */
    public Optional<BuiltImage> cached(Request r) {
        return cache.lookup(inputs(r)).filter(ServiceBuilder::intact).map(dir -> {
            CachePruner.touch(dir);
            return load(r.service(), dir, true);
        });
    }

    private static boolean intact(Path dir) {
        try {
            String cmdline = Files.readString(dir.resolve(BuiltImage.CMDLINE)).strip();
            Digest image = BuildRecord.imageDigest(fileDigest(dir.resolve(BuiltImage.KERNEL)),
                    fileDigest(dir.resolve(BuiltImage.INITRD)), cmdline);
            if (image.hex().equals(dir.getFileName().toString())) {
                return true;
            }
        } catch (IOException e) {
            // unreadable: as damaged
        }
        BuildCache.delete(dir);
        return false;
    }

    private static Digest fileDigest(Path file) throws IOException {
        MessageDigest sha = Digest.sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return Digest.of(sha);
    }

    public BuiltImage build(Request r, Progress progress) {
        Optional<BuiltImage> hit = cached(r);
        if (hit.isPresent()) {
            return hit.get();
        }
        LinuxkitTemplate t = LinuxkitReader.read(r.linuxkitYaml(), r.service() + ".yml");
        Path work = cache.workspace();
        try {
            ImageAssembler.Assembled assembled = assembler.assemble(t, r.images(), progress);
            Digest kernel = copy(assembled.kernel(), work.resolve(BuiltImage.KERNEL));
            Digest initrd;
            String task = "[" + r.service() + "] writing initrd";
            try (OutputStream file = Files.newOutputStream(work.resolve(BuiltImage.INITRD))) {
                MessageDigest sha = Digest.sha256();
                progress.start(task, -1);
                InitrdWriter.Written written = InitrdWriter.write(assembled.root(), r.compression(),
                        new DigestOutputStream(file, sha), progress);
                initrd = Digest.of(sha);
                progress.finish(task, written.entries() + " entries, " + written.outputBytes() + " bytes ("
                        + r.compression().name().toLowerCase(java.util.Locale.ROOT) + ")");
            }
            String cmdline = t.kernel().cmdline();
            Files.writeString(work.resolve(BuiltImage.CMDLINE), cmdline + "\n", StandardCharsets.UTF_8);
            Digest image = BuildRecord.imageDigest(kernel, initrd, cmdline);
            Map<String, Long> sizes = new TreeMap<>();
            sizes.put(BuiltImage.KERNEL, Files.size(work.resolve(BuiltImage.KERNEL)));
            sizes.put(BuiltImage.INITRD, Files.size(work.resolve(BuiltImage.INITRD)));
            if (r.rawEfi()) {
                efi.write(work.resolve(BuiltImage.EFI), work.resolve(BuiltImage.KERNEL), work.resolve(BuiltImage.INITRD),
                        cmdline, image, progress);
                sizes.put(BuiltImage.EFI, Files.size(work.resolve(BuiltImage.EFI)));
            }
            Map<String, String> refs = new TreeMap<>();
            r.images().forEach((ref, pulled) -> refs.put(ref, pulled.manifestDigest().toString()));
            BuildRecord record = new BuildRecord(r.application(), r.service(), image.toString(),
                    Digest.of(r.linuxkitYaml().getBytes(StandardCharsets.UTF_8)).toString(), new TreeMap<>(refs),
                    r.compression().name().toLowerCase(java.util.Locale.ROOT), sizes, BUILDER);
            Files.writeString(work.resolve(BuildRecord.FILE), record.toJson(), StandardCharsets.UTF_8);
            Files.writeString(work.resolve("linuxkit.yml"), r.linuxkitYaml(), StandardCharsets.UTF_8);
            return load(r.service(), cache.publish(work, image, inputs(r)), false);
        } catch (IOException e) {
            throw new I2kitException("cannot build " + r.service() + ": " + e.getMessage(), e);
        } finally {
            BuildCache.delete(work);
        }
    }

    private static Digest copy(Entry.Content content, Path target) throws IOException {
        MessageDigest sha = Digest.sha256();
        try (InputStream in = content.open(); OutputStream out = new DigestOutputStream(Files.newOutputStream(target), sha)) {
            in.transferTo(out);
        }
        return Digest.of(sha);
    }

    private static BuiltImage load(String service, Path dir, boolean upToDate) {
        try {
            BuildRecord record = BuildRecord.fromJson(Files.readString(dir.resolve(BuildRecord.FILE)));
            String cmdline = Files.readString(dir.resolve(BuiltImage.CMDLINE)).strip();
            Path efi = dir.resolve(BuiltImage.EFI);
            return new BuiltImage(service, Digest.parse(record.image()), dir.resolve(BuiltImage.KERNEL),
                    dir.resolve(BuiltImage.INITRD), cmdline, Files.exists(efi) ? Optional.of(efi) : Optional.empty(),
                    record, upToDate);
        } catch (IOException e) {
            throw new I2kitException("cannot read the build in " + dir + ": " + e.getMessage(), e);
        }
    }
}
