package io.i2kit.manifest;

import java.util.Locale;
import java.util.Optional;

/** Protocols of a load-balancer listener or of the port a container listens on. */
public enum Protocol {
    HTTP, HTTPS, TCP, TLS, UDP;

    public static Optional<Protocol> parse(String text) {
        for (Protocol p : values()) {
            if (p.name().equalsIgnoreCase(text)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Whether the load balancer terminates TLS for this protocol, which needs a certificate. */
    public boolean needsCertificate() {
        return this == HTTPS || this == TLS;
    }

    /** Layer-7 protocols go to an application load balancer, the rest to a network load balancer. */
    public boolean isHttpFamily() {
        return this == HTTP || this == HTTPS;
    }

    /** What the load balancer speaks to the instance when the manifest does not say. */
    public Protocol defaultInstanceProtocol() {
        return switch (this) {
            case HTTPS -> HTTP;
            case TLS -> TCP;
            default -> this;
        };
    }

    public String lower() {
        return name().toLowerCase(Locale.ROOT);
    }
}
