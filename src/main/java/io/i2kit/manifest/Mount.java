package io.i2kit.manifest;

/** A volume of the service bound into a container at {@code path} ({@code VOLUME:PATH[:ro]}). */
public record Mount(String volume, String path, boolean readOnly) {
    /** A container path as mounts and binds are compared: no repeated slashes, no trailing one. */
    public static String normalised(String path) {
        String p = path.replaceAll("/+", "/");
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }

    @Override
    public String toString() {
        return volume + ":" + path + (readOnly ? ":ro" : "");
    }
}
