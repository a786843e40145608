package io.i2kit.provider.local.lb;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;

import java.util.OptionalInt;

/**
 * One load-balancer port: where it listens and which instance port of each backend it forwards to.
 * HTTP is balanced per connection like TCP (a keep-alive connection stays with one backend), as an
 * NLB would. An https or tls listener terminates TLS on its TCP port and forwards the plain bytes
 * through the balancer's plain listener of the same load-balancer port on a Unix socket, which the
 * config must have. An http listener with {@code redirectTo} forwards nothing: it answers every
 * request with a 301 to the https listener of that load-balancer port. UDP is out of scope locally.
 */
public record Listener(int lbPort, Protocol protocol, Endpoint bind, int instancePort, OptionalInt redirectTo) {
    public Listener {
        if (protocol == Protocol.UDP) {
            throw new I2kitException("the local load balancer cannot serve udp port " + lbPort
                    + ": it forwards tcp, http, https and tls connections only");
        }
        if (protocol.needsCertificate() && !(bind instanceof Endpoint.Tcp)) {
            throw new IllegalArgumentException(protocol.lower() + " port " + lbPort
                    + " terminates TLS on TCP only; its Unix socket listener is plain " + (protocol == Protocol.TLS ? "tcp" : "http"));
        }
        if (redirectTo.isPresent() && (protocol != Protocol.HTTP || !(bind instanceof Endpoint.Tcp))) {
            throw new IllegalArgumentException("only an http listener on TCP redirects; port " + lbPort + " is "
                    + protocol.lower() + " on " + bind);
        }
        if (instancePort < 1 || instancePort > 65535) {
            throw new IllegalArgumentException("instance port out of range: " + instancePort);
        }
    }

    public Listener(int lbPort, Protocol protocol, Endpoint bind, int instancePort) {
        this(lbPort, protocol, bind, instancePort, OptionalInt.empty());
    }

    public static Listener of(Port port, Endpoint bind) {
        return new Listener(port.lbPort(), port.lbProtocol(), bind, port.instancePort());
    }

    /** Whether the relay forwards this listener's connections as they come (no TLS, no redirect). */
    boolean plain() {
        return !protocol.needsCertificate() && redirectTo.isEmpty();
    }
}
