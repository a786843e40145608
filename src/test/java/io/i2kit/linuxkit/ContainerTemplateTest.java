package io.i2kit.linuxkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** LinuxKit's rules for an entry over its image's org.mobyproject.config label. */
class ContainerTemplateTest {
    private static final ContainerTemplate LABEL = ContainerTemplate.of("label", "x")
            .withCapabilities(List.of("CAP_NET_ADMIN")).withBinds(List.of("/run/resolvconf:/etc"));

    @Test
    void unsetFieldsComeFromTheLabel() {
        ContainerTemplate merged = ContainerTemplate.of("dhcpcd", "linuxkit/dhcpcd").over(LABEL);
        assertThat(merged.capabilities()).contains(List.of("CAP_NET_ADMIN"));
        assertThat(merged.binds()).contains(List.of("/run/resolvconf:/etc"));
        assertThat(merged.name()).isEqualTo("dhcpcd");
    }

    @Test
    void setFieldsReplaceTheLabelsAndAddListsExtendIt() {
        ContainerTemplate yaml = new ContainerTemplate("d", "x", Optional.empty(), Optional.empty(), Optional.empty(),
                List.of("CAP_SYS_ADMIN"), Optional.of(List.of("/a:/b")), List.of(), List.of(), Optional.empty(),
                Optional.empty(), Optional.of(true), Optional.empty(), Optional.empty(), Optional.empty());
        ContainerTemplate merged = yaml.over(LABEL);
        assertThat(merged.capabilities()).contains(List.of("CAP_NET_ADMIN", "CAP_SYS_ADMIN"));
        assertThat(merged.binds()).contains(List.of("/a:/b"));
        assertThat(merged.readonly()).contains(true);
    }

    @Test
    void nothingAnywhereStaysUnset() {
        assertThat(ContainerTemplate.of("a", "b").over(ContainerTemplate.of("l", "b")).capabilities()).isEmpty();
    }
}
