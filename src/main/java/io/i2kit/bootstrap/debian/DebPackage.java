package io.i2kit.bootstrap.debian;

import io.i2kit.oci.Digest;
import java.net.URI;
import java.util.List;

/**
 * One binary package as a Packages index describes it.
 *
 * @param mirror   the archive root it is downloaded from ({@code Filename} is relative to it)
 * @param depends  Pre-Depends then Depends
 * @param provides the virtual packages it provides (a Provides entry may carry {@code (= version)})
 */
public record DebPackage(String name, DebVersion version, String architecture, String filename, Digest sha256, long size,
                         List<Dependency> depends, List<Relation> provides, URI mirror) {
    public DebPackage {
        depends = List.copyOf(depends);
        provides = List.copyOf(provides);
    }

    public URI url() {
        String base = mirror.toString().endsWith("/") ? mirror.toString() : mirror + "/";
        return URI.create(base + filename);
    }

    @Override
    public String toString() {
        return name + " " + version;
    }
}
