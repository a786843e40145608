package io.i2kit.provider.local.vm;

import io.i2kit.discovery.BootMetadata;
import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * How one VM of the local provider reaches the services it uses by name. Each VM has a user
 * network of its own, so addresses are numbered per VM: {@code 10.0.2.100} plus the used
 * service's index among the services this one {@linkplain Discovery#uses(String) uses}, in manifest
 * order. The VM's {@code /etc/hosts} (from the boot metadata) maps the service's names to it, and
 * a guest forward per load-balancer port carries connections to that address to the service's load
 * balancer on the host. A service nobody uses therefore changes nobody's metadata or forwards, and
 * replaces no other VM.
 *
 * <p>10.0.2.100–10.0.2.199 is i2kit's range: QEMU's user network uses 10.0.2.2 (the host), .3
 * (DNS) and hands out addresses from .15 by DHCP, so a service may use a hundred others. The image
 * never changes per target; only this metadata does. UDP ports get no forward: guestfwd carries TCP
 * only.
 */
public record DiscoveryPlan(Map<String, String> addresses, List<GuestForward> forwards, BootMetadata metadata) {
    static final String NETWORK = "10.0.2.";
    static final int FIRST_HOST = 100;
    static final int MAX_SERVICES = 100;

    public DiscoveryPlan {
        addresses = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(addresses));
        forwards = List.copyOf(forwards);
    }

    /** Where a forwarded connection to one load-balancer port of a service goes on the host. */
    @FunctionalInterface
    public interface Targets {
        GuestForward.Target of(String service, int lbPort);
    }

    /** The plan for a VM of {@code service}: the services with ports it uses, in manifest order. */
    public static DiscoveryPlan of(Discovery discovery, String service, Targets targets) {
        Application app = discovery.application();
        if (app.service(service).isEmpty()) {
            throw new IllegalArgumentException("application " + app.name() + " has no service " + service);
        }
        List<String> used = discovery.uses(service);
        if (used.size() > MAX_SERVICES) {
            throw new VmException("service " + service + " of application " + app.name() + " uses " + used.size()
                    + " services with ports; the local provider gives each an address in 10.0.2.100-199 of the "
                    + "VM's network, so at most " + MAX_SERVICES);
        }
        Map<String, String> addresses = new LinkedHashMap<>();
        List<GuestForward> forwards = new ArrayList<>();
        List<BootMetadata.Host> hosts = new ArrayList<>();
        for (int i = 0; i < used.size(); i++) {
            String other = used.get(i);
            String address = NETWORK + (FIRST_HOST + i);
            addresses.put(other, address);
            hosts.add(new BootMetadata.Host(address, List.of(DiscoveryResolver.host(app, other), other)));
            for (int lbPort : tcpLbPorts(app.service(other).orElseThrow())) {
                forwards.add(new GuestForward(address, lbPort, targets.of(other, lbPort)));
            }
        }
        List<BootMetadata.VolumeDisk> volumes = new ArrayList<>();
        List<io.i2kit.manifest.Volume> declared = app.service(service).orElseThrow().volumes();
        for (int i = 0; i < declared.size(); i++) {
            volumes.add(new BootMetadata.VolumeDisk(declared.get(i).name(), volumeSerial(i)));
        }
        return new DiscoveryPlan(addresses, forwards, new BootMetadata(app.name(), service, app.zone(), hosts)
                .withVolumes(volumes));
    }

    /**
     * The serial of a replica's {@code index}th volume's disk, the same on every replica (each has
     * its own file): the metadata, and so the VM, is the same for all of them.
     */
    public static String volumeSerial(int index) {
        return "i2kit-v" + index;
    }

    /** The same plan, its VMs told the versions of the secrets their containers read. */
    public DiscoveryPlan withSecrets(List<BootMetadata.SecretVersion> secrets) {
        return new DiscoveryPlan(addresses, forwards, metadata.withSecrets(secrets));
    }

    private static Set<Integer> tcpLbPorts(Service service) {
        Set<Integer> ports = new LinkedHashSet<>();
        for (Port p : service.ports()) {
            if (p.lbProtocol() != Protocol.UDP) {
                ports.add(p.lbPort());
            }
        }
        return ports;
    }
}
