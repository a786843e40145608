package io.i2kit.provider.local.lb;

import io.i2kit.I2kitException;
import io.i2kit.manifest.Port;
import io.i2kit.manifest.Protocol;

/**
 * One load-balancer port: where it listens and which instance port of each backend it forwards to.
 * HTTP is balanced per connection like TCP (a keep-alive connection stays with one backend), as an
 * NLB would; UDP and TLS termination are out of scope for the local provider.
 */
public record Listener(int lbPort, Protocol protocol, Endpoint bind, int instancePort) {
    public Listener {
        if (protocol != Protocol.TCP && protocol != Protocol.HTTP) {
            throw new I2kitException("the local load balancer cannot serve " + protocol.lower() + " port " + lbPort
                    + ": it forwards tcp and http connections only"
                    + (protocol.needsCertificate() ? " (no TLS termination locally)" : " (no udp)"));
        }
        if (instancePort < 1 || instancePort > 65535) {
            throw new IllegalArgumentException("instance port out of range: " + instancePort);
        }
    }

    public static Listener of(Port port, Endpoint bind) {
        return new Listener(port.lbPort(), port.lbProtocol(), bind, port.instancePort());
    }
}
