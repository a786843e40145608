package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.image.LayerApplier;
import io.i2kit.image.LayerUnpacker;
import io.i2kit.image.UnpackedLayer;
import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.linuxkit.LinuxkitReader;
import io.i2kit.linuxkit.LinuxkitTemplate;
import io.i2kit.oci.Descriptor;
import io.i2kit.oci.Digest;
import io.i2kit.oci.MediaTypes;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Lays out an image's root file system the way LinuxKit does: the kernel package's modules
 * ({@code kernel.tar}) and the init images merged at {@code /}, every onboot container as a bundle
 * in {@code containers/onboot/NNN-name/} (the index encodes the order), every service in
 * {@code containers/services/name/}, then the YAML's files. The kernel itself and the cmdline stay
 * out of the initrd.
 */
final class ImageAssembler {
    static final String LABEL = "org.mobyproject.config";
    /**
     * Tells i2kit's init that no container may mount or unmount (none holds CAP_SYS_ADMIN), so it
     * may keep the initramfs as the root instead of copying it into a tmpfs (docs/metadata.md).
     */
    static final String NO_ROOT_COPY = "etc/i2kit/no-root-copy";
    private static final Meta FILE = Meta.of(0644);

    private final BlobStore blobs;
    private final LayerUnpacker unpacker;
    private final LayerApplier applier = new LayerApplier();

    ImageAssembler(BlobStore blobs, LayerUnpacker unpacker) {
        this.blobs = blobs;
        this.unpacker = unpacker;
    }

    /** The assembled root, the kernel file, and what was ignored of the packages' labels. */
    record Assembled(FileTree root, Entry.Content kernel, List<String> warnings) {
    }

    Assembled assemble(LinuxkitTemplate t, Map<String, PulledImage> images, Progress progress) {
        List<String> warnings = new ArrayList<>();
        FileTree kernelPackage = rootfs(image(images, t.kernel().image()), progress);
        Entry.Content kernel = file(kernelPackage, "kernel").orElseThrow(() -> new I2kitException("image "
                + t.kernel().image() + " has no /kernel file: it is not a LinuxKit kernel package"));
        FileTree root = new FileTree();
        List<String> ownCopies = new ArrayList<>();
        List<ContainerTemplate> containers = new ArrayList<>();
        file(kernelPackage, "kernel.tar").ifPresent(modules -> applier.apply(root, unpackTar(modules, progress)));
        for (String init : t.init()) {
            root.merge(rootfs(image(images, init), progress));
        }
        for (int i = 0; i < t.onboot().size(); i++) {
            ContainerTemplate c = t.onboot().get(i);
            containers.add(bundle(root, String.format("containers/onboot/%03d-%s", i, c.name()), c,
                    image(images, c.image()), warnings, ownCopies, progress));
        }
        for (ContainerTemplate c : t.services()) {
            containers.add(bundle(root, "containers/services/" + c.name(), c, image(images, c.image()), warnings,
                    ownCopies, progress));
        }
        for (LinuxkitTemplate.FileTemplate f : t.files()) {
            root.addFile(f.path(), Meta.of(Integer.parseInt(f.mode(), 8)), f.contents().getBytes(StandardCharsets.UTF_8));
        }
        DuplicateLinker.link(root, ownCopies);
        if (containers.stream().noneMatch(ImageAssembler::sysAdmin)) {
            root.addFile(NO_ROOT_COPY, FILE, new byte[0]);
        }
        return new Assembled(root, kernel, warnings);
    }

    /** Lays out one bundle; returns the container as merged over its image's label. */
    private ContainerTemplate bundle(FileTree root, String prefix, ContainerTemplate yaml, PulledImage image,
                                     List<String> warnings, List<String> ownCopies, Progress progress) {
        ContainerTemplate c = yaml;
        String label = image.config().labels().get(LABEL);
        if (label != null) {
            LinuxkitReader.Label defaults = LinuxkitReader.readLabel(label, image.reference());
            c = yaml.over(defaults.defaults());
            if (!defaults.ignored().isEmpty()) {
                warnings.add(yaml.name() + ": image " + image.reference() + " asks for " + String.join(", ", defaults.ignored())
                        + ", which i2kit's builder does not grant");
            }
        }
        boolean readonly = c.readonly().orElse(false);
        FileTree rootfs = rootfs(image, progress);
        mountPoints(rootfs, c);
        if (readonly) {
            root.graft(prefix + "/rootfs", rootfs);
            // bound as is, read-only only until a CAP_SYS_ADMIN container remounts it
            if (sysAdmin(c)) {
                ownCopies.add(prefix);
            }
        } else {
            root.graft(prefix + "/lower", rootfs);
            root.addDirectory(prefix + "/rootfs", Meta.ROOT_DIR);
            root.addDirectory(prefix + "/tmp", Meta.ROOT_DIR);
        }
        root.addFile(prefix + "/config.json", FILE, BundleSpec.config(c, image.config()).getBytes(StandardCharsets.UTF_8));
        root.addFile(prefix + "/runtime.json", FILE, BundleSpec.runtime(prefix, readonly).getBytes(StandardCharsets.UTF_8));
        return c;
    }

    private static boolean sysAdmin(ContainerTemplate c) {
        return BundleSpec.capabilities(c.capabilities().orElse(List.of())).contains("CAP_SYS_ADMIN");
    }

    /**
     * Bind destinations must exist in the container's root (LinuxKit requires it); images rarely
     * have /etc/hosts or /etc/resolv.conf, which every pod container binds, so empty files stand in.
     */
    private static void mountPoints(FileTree rootfs, ContainerTemplate c) {
        for (String bind : c.binds().orElse(List.of())) {
            String[] parts = bind.split(":");
            if (parts.length >= 2 && rootfs.get(parts[1]).isEmpty()) {
                if (parts[1].equals("/etc/hosts") || parts[1].equals("/etc/resolv.conf")) {
                    rootfs.addFile(parts[1], FILE, new byte[0]);
                } else {
                    rootfs.addDirectory(parts[1], Meta.ROOT_DIR);
                }
            }
        }
        for (String tmpfs : c.tmpfs()) {
            String dest = tmpfs.split(":", 2)[0];
            if (rootfs.get(dest).isEmpty()) {
                rootfs.addDirectory(dest, Meta.ROOT_DIR);
            }
        }
    }

    private FileTree rootfs(PulledImage image, Progress progress) {
        return applier.flatten(unpacker.unpack(image, progress));
    }

    /** {@code kernel.tar} is a plain tar: stored as a blob, it unpacks like an uncompressed layer. */
    private UnpackedLayer unpackTar(Entry.Content tar, Progress progress) {
        try (InputStream in = tar.open()) {
            Digest digest = blobs.put(in, Optional.empty(), "kernel.tar");
            return unpacker.unpack(Descriptor.of(MediaTypes.OCI_LAYER, digest, tar.size()), digest, progress);
        } catch (IOException e) {
            throw new I2kitException("cannot read kernel.tar of the kernel package: " + e.getMessage(), e);
        }
    }

    private static Optional<Entry.Content> file(FileTree tree, String path) {
        return tree.get(path).filter(Entry.RegularFile.class::isInstance).map(e -> ((Entry.RegularFile) e).content());
    }

    private static PulledImage image(Map<String, PulledImage> images, String reference) {
        PulledImage image = images.get(reference);
        if (image == null) {
            throw new IllegalStateException("image " + reference + " was not pulled before assembly");
        }
        return image;
    }
}
