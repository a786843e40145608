package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Service;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One service's load balancer. {@code noBackendWait}: how long a new connection is held while no
 * backend is in service (a rolling update's gap, a restart) before it is closed; zero closes at once.
 */
public record LoadBalancerConfig(String service, List<Listener> listeners, Optional<Health> health,
                                 Duration noBackendWait) {
    /** Long enough to bridge a backend's replacement, short enough that a client never seems to hang. */
    public static final Duration DEFAULT_NO_BACKEND_WAIT = Duration.ofSeconds(5);

    public LoadBalancerConfig {
        listeners = List.copyOf(listeners);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("service " + service + ": a load balancer needs a listener");
        }
        if (noBackendWait.isNegative()) {
            throw new IllegalArgumentException("noBackendWait must not be negative");
        }
    }

    /**
     * A service's listeners: a public service on 127.0.0.1 at free ports (read them back from
     * {@link LoadBalancer#endpoints()}), a private one on Unix sockets in {@code privateDir}, which only
     * the application's VMs reach through their forwarders.
     */
    public static LoadBalancerConfig forService(Service service, Path privateDir) {
        List<Listener> listeners = service.ports().stream()
                .map(port -> Listener.of(port, service.isPublic()
                        ? Endpoint.tcp(0)
                        : Endpoint.unix(privateDir.resolve(socketName(service.name(), port)))))
                .toList();
        Optional<Health> health = service.health().or(() -> Health.defaultFor(service.ports()));
        return new LoadBalancerConfig(service.name(), listeners, health, DEFAULT_NO_BACKEND_WAIT);
    }

    static String socketName(String service, Port port) {
        return service + "-" + port.lbPort() + ".sock";
    }

    public LoadBalancerConfig withNoBackendWait(Duration wait) {
        return new LoadBalancerConfig(service, listeners, health, wait);
    }
}
