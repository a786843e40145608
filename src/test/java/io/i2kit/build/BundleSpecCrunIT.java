package io.i2kit.build;

import java.util.ArrayList;
import java.util.List;

/** The checks of {@link BundleSpecRuncIT} under Debian's crun: the config.json i2kit writes suits both runtimes. */
class BundleSpecCrunIT extends BundleSpecRuncIT {
    @Override
    String runtime() {
        return "crun";
    }

    /**
     * crun refuses a host whose cgroups are in hybrid mode (v1 controllers beside a v2 hierarchy),
     * as this kind of Debian 12 host is: so it runs in a mount namespace of its own where
     * /sys/fs/cgroup is cgroup2 alone, as in i2kit's VMs, and creates no cgroup (InitVmCrunIT
     * checks the container's cgroup inside a VM).
     */
    @Override
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of("unshare", "-m", "sh", "-c",
                "mount --make-rprivate / && mount -t cgroup2 none /sys/fs/cgroup && exec crun --cgroup-manager=disabled \"$@\"",
                "crun"));
        command.addAll(List.of(args));
        return command;
    }
}
