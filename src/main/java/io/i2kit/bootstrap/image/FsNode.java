package io.i2kit.bootstrap.image;

/**
 * One entry of an image's file tree, with the owner and mode its package gave it. Regular files
 * hold their content; links hold their target (never followed while unpacking).
 */
public record FsNode(Type type, int mode, int uid, int gid, String uname, String gname, String linkTarget, byte[] content) {
    public enum Type { DIRECTORY, FILE, SYMLINK }

    public static FsNode directory(int mode) {
        return new FsNode(Type.DIRECTORY, mode, 0, 0, "root", "root", null, null);
    }

    public static FsNode file(int mode, byte[] content) {
        return new FsNode(Type.FILE, mode, 0, 0, "root", "root", null, content);
    }

    public static FsNode symlink(String target) {
        return new FsNode(Type.SYMLINK, 0777, 0, 0, "root", "root", target, null);
    }

    public long size() {
        return content == null ? 0 : content.length;
    }

    public FsNode withMode(int newMode) {
        return new FsNode(type, newMode, uid, gid, uname, gname, linkTarget, content);
    }
}
