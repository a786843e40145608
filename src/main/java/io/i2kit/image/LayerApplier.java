package io.i2kit.image;

import io.i2kit.I2kitException;
import io.i2kit.image.Entry.OnDisk;
import java.util.List;

/**
 * Applies unpacked layers, lowest first, onto a {@link FileTree}. Within one layer the whiteouts
 * and opaque markers go first, since they hide only what lower layers put there (OCI image spec,
 * "Whiteouts"); then the layer's entries in archive order, later ones replacing earlier ones.
 * Paths through symlinks resolve inside the tree ({@link FileTree}), so a link cannot make a later
 * entry land outside the root.
 */
public final class LayerApplier {
    /** The root file system of the given layers stacked in order. */
    public FileTree flatten(List<UnpackedLayer> layers) {
        FileTree tree = new FileTree();
        for (UnpackedLayer layer : layers) {
            apply(tree, layer);
        }
        return tree;
    }

    public void apply(FileTree tree, UnpackedLayer layer) {
        for (LayerEntry e : layer.entries()) {
            if (e.type() == LayerEntry.Type.WHITEOUT || e.type() == LayerEntry.Type.OPAQUE) {
                applyEntry(tree, layer, e);
            }
        }
        for (LayerEntry e : layer.entries()) {
            if (e.type() != LayerEntry.Type.WHITEOUT && e.type() != LayerEntry.Type.OPAQUE) {
                applyEntry(tree, layer, e);
            }
        }
    }

    private static void applyEntry(FileTree tree, UnpackedLayer layer, LayerEntry e) {
        try {
            add(tree, layer, e);
        } catch (I2kitException ex) {
            throw new I2kitException(layer.describe() + ": entry \"" + e.path() + "\" cannot be applied: "
                    + ex.getMessage(), ex);
        }
    }

    private static void add(FileTree tree, UnpackedLayer layer, LayerEntry e) {
        switch (e.type()) {
            case DIRECTORY -> tree.addDirectory(e.path(), e.meta());
            case FILE -> tree.addFile(e.path(), e.meta(), new OnDisk(layer.dir().resolve(e.data()), e.size()));
            case SYMLINK -> tree.addSymlink(e.path(), e.meta(), e.link());
            case HARDLINK -> tree.addHardLink(e.path(), e.link());
            case CHAR_DEVICE, BLOCK_DEVICE ->
                    tree.addDevice(e.path(), e.meta(), e.type() == LayerEntry.Type.BLOCK_DEVICE, e.major(), e.minor());
            case FIFO -> tree.addFifo(e.path(), e.meta());
            case WHITEOUT -> tree.remove(e.path());
            case OPAQUE -> tree.clearDirectory(e.path());
        }
    }
}
