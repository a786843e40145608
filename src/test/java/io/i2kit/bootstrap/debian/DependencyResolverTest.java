package io.i2kit.bootstrap.debian;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.oci.Digest;
import java.net.URI;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DependencyResolverTest {
    static DebPackage pkg(String name, String version, String depends, String provides) {
        return new DebPackage(name, DebVersion.parse(version), "amd64", "pool/" + name + ".deb", new Digest("b".repeat(64)), 1,
                Dependency.parseField(depends), Dependency.parseField(provides).stream().map(d -> d.alternatives().get(0)).toList(),
                URI.create("http://mirror/debian"));
    }

    private static List<String> names(DependencyResolver.Resolution r) {
        return r.packages().stream().map(p -> p.name() + "=" + p.version()).toList();
    }

    @Test
    void metapackageResolvesToTheCurrentVersionedPackageThroughDepends() {
        PackageIndex index = new PackageIndex(List.of(
                pkg("linux-image-cloud-amd64", "6.1.192-2", "linux-image-6.1.0-56-cloud-amd64 (= 6.1.192-2)", ""),
                pkg("linux-image-6.1.0-56-cloud-amd64", "6.1.192-2", "kmod, linux-base (>= 4.3~), initramfs-tools (>= 0.120) | linux-initramfs-tool", ""),
                pkg("linux-image-6.1.0-55-cloud-amd64", "6.1.190-1", "kmod", ""),
                pkg("kmod", "30", "", "")));
        DependencyResolver.Resolution r = new DependencyResolver(index)
                .resolve(List.of("linux-image-cloud-amd64"), Set.of("kmod", "linux-base", "initramfs-tools"), true);
        assertThat(names(r)).containsExactly("linux-image-6.1.0-56-cloud-amd64=6.1.192-2", "linux-image-cloud-amd64=6.1.192-2");
        assertThat(r.dropped()).hasSize(3);
    }

    @Test
    void firstSatisfiableAlternativeWinsAndVersionsAreChecked() {
        PackageIndex index = new PackageIndex(List.of(
                pkg("app", "1", "libold (>= 2) | libnew, libc6 (>= 2.34)", ""),
                pkg("libold", "1.5", "", ""),
                pkg("libnew", "3", "", ""),
                pkg("libc6", "2.36-9", "", ""),
                pkg("libc6", "2.31-1", "", "")));
        assertThat(names(new DependencyResolver(index).resolve(List.of("app"), Set.of(), true)))
                .containsExactly("app=1", "libc6=2.36-9", "libnew=3");
    }

    @Test
    void virtualPackagesResolveThroughProvidesWithVersionsWhenAsked() {
        PackageIndex index = new PackageIndex(List.of(
                pkg("app", "1", "mail-transport-agent, wireguard-modules (>= 1.0)", ""),
                pkg("exim4", "4.96", "", "mail-transport-agent"),
                pkg("kernel", "6.1", "", "wireguard-modules (= 1.0.0)")));
        assertThat(names(new DependencyResolver(index).resolve(List.of("app"), Set.of(), true)))
                .containsExactly("app=1", "exim4=4.96", "kernel=6.1");
    }

    @Test
    void unversionedProvidesDoesNotSatisfyAVersionedDependency() {
        PackageIndex index = new PackageIndex(List.of(pkg("app", "1", "virt (>= 2)", ""), pkg("p", "1", "", "virt")));
        assertThatThrownBy(() -> new DependencyResolver(index).resolve(List.of("app"), Set.of(), true))
                .isInstanceOf(I2kitException.class)
                .hasMessageStartingWith("cannot resolve the dependency \"virt (>= 2)\" of app 1");
    }

    @Test
    void withoutFollowingDependsOnlyTheRootsAreTaken() {
        PackageIndex index = new PackageIndex(List.of(pkg("busybox-static", "1:1.35.0-4", "libc6", ""), pkg("libc6", "2.36", "", "")));
        assertThat(names(new DependencyResolver(index).resolve(List.of("busybox-static"), Set.of(), false)))
                .containsExactly("busybox-static=1:1.35.0-4");
    }

    @Test
    void anUnknownRootNamesItself() {
        PackageIndex index = new PackageIndex(List.of(pkg("a", "1", "", "")));
        assertThatThrownBy(() -> new DependencyResolver(index).resolve(List.of("nope"), Set.of(), true))
                .hasMessageStartingWith("package nope is in none of the apt sources' indexes");
    }
}
