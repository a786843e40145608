package io.i2kit.provider.local.lb;

import io.i2kit.manifest.Health;
import io.i2kit.manifest.Protocol;

import javax.net.ssl.SSLContext;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * One service's load balancer. {@code noBackendWait}: how long a new connection is held while no
 * backend is in service (a rolling update's gap, a restart) before it is closed; zero closes at once.
 * {@code tls}: the server context of its https and tls listeners (a certificate of the local CA).
 */
public record LoadBalancerConfig(String service, List<Listener> listeners, Optional<Health> health,
                                 Duration noBackendWait, Optional<SSLContext> tls) {
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
        List<Listener> all = listeners;
        for (Listener l : listeners) {
            if (l.protocol().needsCertificate()) {
                if (tls.isEmpty()) {
                    throw new IllegalArgumentException("service " + service + ": " + l.protocol().lower() + " port "
                            + l.lbPort() + " needs a TLS context");
                }
                if (plainSocket(all, l.lbPort()).isEmpty()) {
                    throw new IllegalArgumentException("service " + service + ": " + l.protocol().lower() + " port "
                            + l.lbPort() + " needs a plain listener of the same port on a Unix socket to forward to");
                }
            }
            if (l.redirectTo().isPresent()) {
                int to = l.redirectTo().getAsInt();
                if (all.stream().noneMatch(o -> o.lbPort() == to && o.protocol() == Protocol.HTTPS)) {
                    throw new IllegalArgumentException("service " + service + ": port " + l.lbPort()
                            + " redirects to " + to + ", which is not an https listener");
                }
            }
        }
    }

    public LoadBalancerConfig(String service, List<Listener> listeners, Optional<Health> health, Duration noBackendWait) {
        this(service, listeners, health, noBackendWait, Optional.empty());
    }

    /** The plain listener on a Unix socket that a TLS listener of {@code lbPort} hands its connections to. */
    static Optional<Listener> plainSocket(List<Listener> listeners, int lbPort) {
        return listeners.stream().filter(o -> o.lbPort() == lbPort && o.plain() && o.bind() instanceof Endpoint.Unix)
                .findFirst();
    }

    public LoadBalancerConfig withNoBackendWait(Duration wait) {
        return new LoadBalancerConfig(service, listeners, health, wait, tls);
    }
}
