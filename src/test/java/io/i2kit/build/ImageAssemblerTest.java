package io.i2kit.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.image.Entry;
import io.i2kit.image.Entry.Meta;
import io.i2kit.image.FileTree;
import io.i2kit.image.LayerUnpacker;
import io.i2kit.image.TarWriter;
import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.linuxkit.LinuxkitTemplate;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.BlobStore;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.testing.StoreImages;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageAssemblerTest {
    @TempDir
    Path home;
    BlobStore blobs;
    ImageAssembler assembler;
    Map<String, PulledImage> images;

    @BeforeEach
    void images() {
        I2kitHome h = new I2kitHome(home);
        blobs = h.blobs();
        assembler = new ImageAssembler(blobs, new LayerUnpacker(blobs, h));
        FileTree modules = new FileTree();
        modules.addFile("lib/modules/6.1.0-i2kit/kernel/virtio_net.ko", Meta.of(0644), "ko".getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter.write(modules, tar);
        FileTree kernel = new FileTree();
        kernel.addFile("kernel", Meta.of(0644), "bzImage".getBytes(StandardCharsets.UTF_8));
        kernel.addFile("kernel.tar", Meta.of(0644), tar.toByteArray());
        FileTree init = new FileTree();
        init.addFile("init", Meta.of(0755), "#!/bin/busybox sh".getBytes(StandardCharsets.UTF_8));
        FileTree app = new FileTree();
        app.addFile("bin/app", Meta.of(0755), "app".getBytes(StandardCharsets.UTF_8));
        images = Map.of(
                "kernel", StoreImages.image(blobs, "kernel", kernel, List.of(), Map.of()),
                "init", StoreImages.image(blobs, "init", init, List.of(), Map.of()),
                "app", StoreImages.image(blobs, "app", app, List.of("/bin/app"), Map.of()),
                "pkg", StoreImages.image(blobs, "pkg", app, List.of("/bin/app"),
                        Map.of(ImageAssembler.LABEL, "{\"capabilities\":[\"CAP_NET_ADMIN\"],\"readonly\":true,\"devices\":[]}")));
    }

    private static LinuxkitTemplate template(List<ContainerTemplate> onboot, List<ContainerTemplate> services) {
        return new LinuxkitTemplate(new LinuxkitTemplate.Kernel("kernel", "console=ttyS0"), List.of("init"), onboot,
                services, List.of(new LinuxkitTemplate.FileTemplate("etc/i2kit/service.json", "{}\n", "0600")));
    }

    private static String text(FileTree tree, String path) throws IOException {
        Entry e = tree.get(path).orElseThrow(() -> new AssertionError("no " + path));
        try (InputStream in = ((Entry.RegularFile) e).content().open()) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void laysOutTheRootAsLinuxkitDoes() throws IOException {
        ContainerTemplate web = ContainerTemplate.of("web", "app").withBinds(List.of("/etc/hosts:/etc/hosts:ro"))
                .withCapabilities(List.of("CAP_NET_BIND_SERVICE"));
        ImageAssembler.Assembled a = assembler.assemble(
                template(List.of(ContainerTemplate.of("first", "pkg"), ContainerTemplate.of("second", "app")), List.of(web)),
                images, Progress.NONE);
        FileTree root = a.root();
        assertThat(text(root, "init")).startsWith("#!/bin/busybox");
        assertThat(root.get("lib/modules/6.1.0-i2kit/kernel/virtio_net.ko")).isPresent();
        assertThat(root.get("kernel")).isEmpty();
        assertThat(root.get("containers/onboot/000-first/rootfs/bin/app")).isPresent();
        assertThat(root.get("containers/onboot/001-second/lower/bin/app")).isPresent();
        assertThat(root.get("containers/onboot/001-second/rootfs")).get().isInstanceOf(Entry.Directory.class);
        assertThat(root.get("containers/services/web/lower/etc/hosts")).as("bind mount point").isPresent();
        assertThat(text(root, "containers/services/web/config.json")).contains("\"CAP_NET_BIND_SERVICE\"", "\"/bin/app\"");
        assertThat(text(root, "containers/services/web/runtime.json")).contains("lowerdir=/containers/services/web/lower");
        assertThat(text(root, "etc/i2kit/service.json")).isEqualTo("{}\n");
        assertThat(root.get("etc/i2kit/service.json").orElseThrow().meta().mode()).isEqualTo(0600);
        try (InputStream kernel = a.kernel().open()) {
            assertThat(new String(kernel.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bzImage");
        }
    }

    @Test
    void theInitKeepsTheInitramfsAsRootOnlyWhenNoContainerMayMount() {
        ContainerTemplate web = ContainerTemplate.of("web", "app").withCapabilities(List.of("CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT"));
        FileTree plain = assembler.assemble(template(List.of(), List.of(web)), images, Progress.NONE).root();
        assertThat(plain.get(ImageAssembler.NO_ROOT_COPY)).isPresent();

        for (List<String> admin : List.of(List.of("CAP_SYS_ADMIN"), List.of("all"))) {
            FileTree root = assembler.assemble(template(List.of(ContainerTemplate.of("setup", "app").withCapabilities(admin)),
                    List.of(web)), images, Progress.NONE).root();
            assertThat(root.get(ImageAssembler.NO_ROOT_COPY)).as("with an onboot container holding %s", admin).isEmpty();
        }
    }

    @Test
    void packageLabelsGiveDefaultsAndWhatIsNotGrantedIsReported() throws IOException {
        ImageAssembler.Assembled a = assembler.assemble(template(List.of(ContainerTemplate.of("metadata", "pkg")), List.of()),
                images, Progress.NONE);
        assertThat(text(a.root(), "containers/onboot/000-metadata/config.json"))
                .contains("\"CAP_NET_ADMIN\"", "\"readonly\" : true");
        assertThat(a.warnings()).containsExactly("metadata: image pkg asks for devices, which i2kit's builder does not grant");
    }

    @Test
    void aKernelImageWithoutAKernelIsRefused() {
        LinuxkitTemplate t = new LinuxkitTemplate(new LinuxkitTemplate.Kernel("app", ""), List.of(), List.of(), List.of(),
                List.of());
        assertThatThrownBy(() -> assembler.assemble(t, images, Progress.NONE))
                .hasMessage("image app has no /kernel file: it is not a LinuxKit kernel package");
    }
}
