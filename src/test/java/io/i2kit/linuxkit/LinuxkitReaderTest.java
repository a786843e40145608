package io.i2kit.linuxkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.i2kit.discovery.Discovery;
import io.i2kit.lock.Pins;
import io.i2kit.manifest.Service;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.yaml.ProblemsException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class LinuxkitReaderTest {
    @ParameterizedTest
    @ValueSource(strings = {"polls", "linuxkit-profile", "explicit"})
    void readsBackWhatTheWriterWrote(String fixture) {
        Discovery d = Pipeline.validate(Pipeline.load(Path.of("src/test/resources/manifests/valid", fixture), Optional.empty()));
        LinuxkitTranslator translator = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE);
        for (Service s : d.application().services()) {
            LinuxkitTemplate t = translator.translate(d, s);
            assertThat(LinuxkitReader.read(LinuxkitWriter.write(t), s.name() + ".yml")).isEqualTo(t);
        }
    }

    @Test
    void readsLinuxkitsOwnExampleShape() {
        LinuxkitTemplate t = LinuxkitReader.read("""
                kernel:
                  image: linuxkit/kernel:6.12.59
                  cmdline: "console=ttyS0"
                init:
                  - linuxkit/init:b5506cc74a6812dc40982cacfd2f4328f8a4b12a
                onboot:
                  - name: dhcpcd
                    image: linuxkit/dhcpcd:b87e9ececac55a65eaa592f4dd8b4e0c3009afdb
                    command: ["/sbin/dhcpcd", "--nobackground", "-f", "/dhcpcd.conf", "-1"]
                services:
                  - name: sshd
                    image: linuxkit/sshd:08e5d4a46603eff485d5d1b14001cc932a530858
                    binds.add:
                     - /run/config/ssh/authorized_keys:/root/.ssh/authorized_keys
                trust:
                  org:
                    - linuxkit
                """, "aws.yml");
        assertThat(t.onboot().get(0).command()).contains(List.of("/sbin/dhcpcd", "--nobackground", "-f", "/dhcpcd.conf", "-1"));
        assertThat(t.services().get(0).bindsAdd()).containsExactly("/run/config/ssh/authorized_keys:/root/.ssh/authorized_keys");
        assertThat(t.services().get(0).binds()).isEmpty();
    }

    @Test
    void refusesWhatTheBuilderCannotHonourByName() {
        assertThatThrownBy(() -> LinuxkitReader.read("""
                kernel: {image: k, cmdline: c}
                init: [i]
                onshutdown: []
                services:
                  - name: s
                    image: x
                    devices: []
                """, "x.yml")).hasMessage("""
                x.yml:3:1: error: onshutdown: not supported by i2kit's builder; supported here: files, init, kernel, onboot, services, trust
                x.yml:7:5: error: services[0].devices: not supported by i2kit's builder; supported here: binds, binds.add, capabilities, capabilities.add, cmdline, command, cwd, env, gid, image, name, net, pid, readonly, tmpfs, uid
                2 errors in x.yml""".replace("cmdline, ", ""));
    }

    @Test
    void reportsEveryProblemAtOnceWithItsPosition() {
        ProblemsException e = catchThrowableOfType(ProblemsException.class, () -> LinuxkitReader.read("""
                kernel: {image: k, cmdline: c}
                init: [i]
                onboot:
                  - name: dhcpcd
                    readonly: maybe
                services:
                  - image: x
                    binds: /data:/data
                """, "x.yml"));
        assertThat(e.problems()).extracting(p -> p.position().line() + ":" + p.position().column() + " " + p.path())
                .containsExactly("4:5 onboot[0].image", "5:15 onboot[0].readonly", "7:5 services[0].name", "8:12 services[0].binds");
        assertThat(e).hasMessage("""
                x.yml:4:5: error: onboot[0].image: missing; expected an image reference
                x.yml:5:15: error: onboot[0].readonly: expected true or false, found "maybe"
                x.yml:7:5: error: services[0].name: missing; expected the container's name
                x.yml:8:12: error: services[0].binds: expected a list of strings, found "/data:/data"
                4 errors in x.yml""");
    }

    @Test
    void readsAPackagesLabelAndNamesWhatItIgnores() {
        LinuxkitReader.Label label = LinuxkitReader.readLabel("""
                {"binds":["/dev:/dev","/run:/run","/etc/resolv.conf:/etc/resolv.conf"],"devices":[{"path":"all","type":"b"}],
                 "tmpfs":["/tmp"],"readonly":true,"capabilities":["CAP_SYS_ADMIN","CAP_NET_ADMIN"]}
                """, "linuxkit/metadata:4bbf406");
        assertThat(label.defaults().capabilities()).contains(List.of("CAP_SYS_ADMIN", "CAP_NET_ADMIN"));
        assertThat(label.defaults().readonly()).contains(true);
        assertThat(label.defaults().tmpfs()).containsExactly("/tmp");
        assertThat(label.ignored()).containsExactly("devices");
    }
}
