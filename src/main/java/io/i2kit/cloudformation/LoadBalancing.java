package io.i2kit.cloudformation;

import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;
import io.i2kit.manifest.Service;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * How a service's ports are load balanced. A service whose ports are all http/https gets an
 * Application Load Balancer. Any other service (tcp, tls, udp, or a mix with http) gets ONE Network
 * Load Balancer carrying all of its ports, http ports as TCP listeners and https ports as TLS
 * listeners: one load balancer per service keeps one DNS name per service, which is what discovery
 * hands out. Workers (no ports) get none.
 */
record LoadBalancing(Type type, boolean isPublic, List<Listener> listeners, List<TargetGroup> targetGroups) {
    enum Type {
        APPLICATION("application"), NETWORK("network");

        final String awsName;

        Type(String awsName) {
            this.awsName = awsName;
        }
    }

    /**
     * {@code protocol} is the AWS listener protocol, which differs from the manifest's on an NLB.
     * {@code redirectPort}: the https listener port this http listener answers 301 to, instead of
     * forwarding; only on an ALB (an NLB's TCP listener cannot speak HTTP, so there it forwards).
     */
    record Listener(String logicalId, String protocol, int port, boolean needsCertificate, TargetGroup target,
                    Optional<Integer> redirectPort) {
    }

    /** One per distinct instance (protocol, port); the validator already made those unique per transport. */
    record TargetGroup(String logicalId, String protocol, int port) {
    }

    LoadBalancing {
        listeners = List.copyOf(listeners);
        targetGroups = List.copyOf(targetGroups);
    }

    static Optional<LoadBalancing> of(Service service) {
        List<Port> ports = service.ports();
        if (ports.isEmpty()) {
            return Optional.empty();
        }
        Type type = ports.stream().allMatch(p -> p.lbProtocol().isHttpFamily()) ? Type.APPLICATION : Type.NETWORK;
        Map<String, TargetGroup> groups = new LinkedHashMap<>();
        List<Listener> listeners = new ArrayList<>();
        for (Port port : ports) {
            String listenerProtocol = listenerProtocol(type, port.lbProtocol());
            String groupProtocol = targetProtocol(type, port);
            TargetGroup group = groups.computeIfAbsent(port.instanceProtocol() + "/" + port.instancePort(),
                    key -> new TargetGroup("TargetGroup" + camel(port.instanceProtocol().name()) + port.instancePort(),
                            groupProtocol, port.instancePort()));
            Optional<Integer> redirect = type == Type.APPLICATION
                    ? service.redirectTarget(port).map(Port::lbPort) : Optional.empty();
            listeners.add(new Listener("Listener" + camel(port.lbProtocol().name()) + port.lbPort(), listenerProtocol,
                    port.lbPort(), port.lbProtocol().needsCertificate(), group, redirect));
        }
        return Optional.of(new LoadBalancing(type, service.isPublic(), listeners, List.copyOf(groups.values())));
    }

    private static String listenerProtocol(Type type, Protocol lb) {
        if (type == Type.APPLICATION) {
            return lb.name();
        }
        return switch (lb) {
            case HTTP, TCP -> "TCP";
            case HTTPS, TLS -> "TLS";
            case UDP -> "UDP";
        };
    }

    /**
     * On an NLB only a TLS listener can speak TLS to the instance; a plain TCP listener forwards the
     * bytes as they come, so its target group is TCP whatever the instance speaks.
     */
    private static String targetProtocol(Type type, Port port) {
        if (type == Type.APPLICATION) {
            return port.instanceProtocol().name();
        }
        if (port.instanceProtocol() == Protocol.UDP) {
            return "UDP";
        }
        boolean instanceTls = port.instanceProtocol() == Protocol.TLS || port.instanceProtocol() == Protocol.HTTPS;
        return instanceTls && port.lbProtocol().needsCertificate() ? "TLS" : "TCP";
    }

    /** Logical ids from protocol and port only, so that they stay the same across renders. */
    private static String camel(String protocol) {
        String lower = protocol.toLowerCase(Locale.ROOT);
        return Character.toUpperCase(lower.charAt(0)) + lower.substring(1);
    }
}
