package io.i2kit.provider.local;

import io.i2kit.manifest.Protocol;
import io.i2kit.provider.local.DesiredState.ServiceState;
import io.i2kit.provider.local.lb.Backend;
import io.i2kit.provider.local.lb.Endpoint;
import io.i2kit.provider.local.lb.ForwardedConnections;
import io.i2kit.provider.local.lb.Listener;
import io.i2kit.provider.local.lb.LoadBalancerConfig;
import io.i2kit.provider.local.tls.LocalCa;
import io.i2kit.provider.local.vm.Vm;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;

/**
 * A service's desired state and its VMs as the load balancer takes them: its listeners and health
 * check, and each replica as a backend reached through its VM's socket files.
 */
final class BalancerTranslator {
    private BalancerTranslator() {
    }

    /**
     * The service's balancer; none for a service without (TCP) ports. A public https or tls port
     * whose VMs speak plain http/tcp is terminated with a certificate of {@code ca} for
     * {@link #certificateNames}; its Unix socket, the VMs' way in, stays plain, like every private
     * port's (the VMs could not trust the local CA anyway). A public http port with a redirect target
     * answers 301 to that https port. Ports whose VMs speak TLS themselves pass through as tcp.
     */
    static Optional<LoadBalancerConfig> config(ServiceState s, String application, Supplier<LocalCa> ca) {
        List<Listener> listeners = new ArrayList<>();
        Set<Integer> terminated = new HashSet<>();
        s.ports().stream().filter(DesiredState.PortState::terminatesTls).forEach(p -> terminated.add(p.lbPort()));
        for (DesiredState.PortState p : s.ports()) {
            Protocol protocol = p.protocol();
            if (protocol == Protocol.UDP) {
                continue; // QEMU's guest forwards and this balancer carry TCP only (docs/local.md)
            }
            Protocol plain = protocol.isHttpFamily() ? Protocol.HTTP : Protocol.TCP;
            if (p.listen() instanceof Endpoint.Tcp) {
                OptionalInt redirect = p.redirectTo().filter(to -> protocol == Protocol.HTTP && terminated.contains(to))
                        .map(OptionalInt::of).orElse(OptionalInt.empty());
                listeners.add(new Listener(p.lbPort(), p.terminatesTls() ? protocol : plain, endpoint(p.listen()),
                        p.instancePort(), redirect));
                listeners.add(new Listener(p.lbPort(), plain, Endpoint.unix(p.socket()), p.instancePort()));
            } else {
                listeners.add(new Listener(p.lbPort(), plain, p.listen(), p.instancePort()));
            }
        }
        if (listeners.isEmpty()) {
            return Optional.empty();
        }
        Optional<SSLContext> tls = terminated.isEmpty() ? Optional.empty()
                : Optional.of(ca.get().issue(certificateNames(application, s)).serverContext());
        return Optional.of(new LoadBalancerConfig(s.name(), listeners, s.health(), LoadBalancerConfig.DEFAULT_NO_BACKEND_WAIT, tls));
    }

    /**
     * Whether a balancer made for {@code made} serves what {@code next} asks of its certificate and
     * redirects: they are set when it starts, so a change waits until it starts again.
     */
    static boolean sameFronts(ServiceState made, ServiceState next) {
        return made.hostname().equals(next.hostname()) && redirects(made).equals(redirects(next));
    }

    private static Map<Integer, Optional<Integer>> redirects(ServiceState s) {
        Map<Integer, Optional<Integer>> result = new HashMap<>();
        s.ports().forEach(p -> result.put(p.lbPort(), p.redirectTo()));
        return result;
    }

    /** The names a service's certificate holds: this machine's loopback, {@code <service>.<app>.localhost}, its hostname. */
    static List<String> certificateNames(String application, ServiceState s) {
        List<String> names = new ArrayList<>(List.of("localhost", "127.0.0.1", "::1", s.name() + "." + application + ".localhost"));
        s.hostname().ifPresent(names::add);
        return names;
    }

    /** A public port binds the port asked for, or a free one when that is taken (or needs root). */
    private static Endpoint endpoint(Endpoint listen) {
        if (listen instanceof Endpoint.Tcp tcp) {
            return Endpoint.tcp(tcp.port() == 0 || bindable(tcp.port()) ? tcp.port() : 0);
        }
        return listen;
    }

    private static boolean bindable(int port) {
        try (var s = new java.net.ServerSocket(port, 1, java.net.InetAddress.getLoopbackAddress())) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** The VM as the balancer sees it, with QEMU's view of forwarded connections for TCP checks. */
    static Backend backend(String id, Vm vm) {
        Map<Integer, Endpoint> endpoints = new HashMap<>();
        for (int port : vm.ports()) {
            endpoints.put(port, Endpoint.unix(vm.socket(port)));
        }
        ForwardedConnections forwards = new ForwardedConnections() {
            @Override
            public Set<Long> open(int instancePort) {
                return vm.forwardedConnections(instancePort);
            }

            @Override
            public State since(int instancePort, Set<Long> before) {
                List<String> states = vm.newForwardedConnectionStates(instancePort, before);
                if (states.isEmpty()) {
                    return State.GONE;
                }
                return states.stream().allMatch("ESTABLISHED"::equals) ? State.ACCEPTED : State.PENDING;
            }
        };
        return new Backend(id, endpoints, Optional.of(forwards));
    }
}
