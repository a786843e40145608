package io.i2kit.manifest;

/** A volume of the service bound into a container at {@code path} ({@code VOLUME:PATH[:ro]}). */
public record Mount(String volume, String path, boolean readOnly) {
    @Override
    public String toString() {
        return volume + ":" + path + (readOnly ? ":ro" : "");
    }
}
