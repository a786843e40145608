package io.i2kit.manifest;

import java.util.Optional;
import java.util.Set;

/**
 * A port a container exposes: what the load balancer listens on and what it forwards to.
 * Written {@code [lb_protocol:]lb_port[:[instance_protocol:]instance_port]}.
 */
public record Port(Protocol lbProtocol, int lbPort, Protocol instanceProtocol, int instancePort) {
    /** Bare port numbers that are inferred to speak HTTP; every other bare number is TCP. */
    public static final Set<Integer> HTTP_PORTS = Set.of(80, 3000, 5000, 8000, 8008, 8080, 8888);

    public Port {
        if (lbProtocol == null || instanceProtocol == null) {
            throw new IllegalArgumentException("protocols are required");
        }
    }

    public static Protocol inferredProtocol(int port) {
        return HTTP_PORTS.contains(port) ? Protocol.HTTP : Protocol.TCP;
    }

    /**
     * Parses the port syntax; the result is empty with {@code error} describing why when it does not
     * parse. Ranges are checked by the validator so that all problems are reported together.
     */
    public static Parsed parse(String text) {
        String[] parts = text.trim().split(":", -1);
        int i = 0;
        Protocol lbProtocol = null;
        if (parts.length > 0 && !isNumber(parts[0])) {
            Optional<Protocol> p = Protocol.parse(parts[0]);
            if (p.isEmpty()) {
                return Parsed.error("unknown protocol \"" + parts[0] + "\"; expected one of http, https, tcp, tls, udp");
            }
            lbProtocol = p.get();
            i++;
        }
        if (i >= parts.length || !isNumber(parts[i])) {
            return Parsed.error("expected a port number after \"" + String.join(":", java.util.Arrays.copyOf(parts, i)) + "\"");
        }
        int lbPort = Integer.parseInt(parts[i++]);
        Protocol instanceProtocol = null;
        int instancePort = lbPort;
        if (i < parts.length && !isNumber(parts[i])) {
            Optional<Protocol> p = Protocol.parse(parts[i]);
            if (p.isEmpty()) {
                return Parsed.error("unknown protocol \"" + parts[i] + "\"; expected one of http, https, tcp, tls, udp");
            }
            instanceProtocol = p.get();
            i++;
            if (i >= parts.length || parts[i].isEmpty()) {
                return Parsed.error("expected an instance port after \"" + instanceProtocol.lower() + ":\"");
            }
        }
        if (i < parts.length) {
            if (!isNumber(parts[i])) {
                return Parsed.error("\"" + parts[i] + "\" is not a port number");
            }
            instancePort = Integer.parseInt(parts[i++]);
        }
        if (i != parts.length) {
            return Parsed.error("too many parts; expected [lb_protocol:]lb_port[:[instance_protocol:]instance_port]");
        }
        if (lbProtocol == null) {
            lbProtocol = instanceProtocol != null ? instanceProtocol : inferredProtocol(lbPort);
        }
        if (instanceProtocol == null) {
            instanceProtocol = lbProtocol.defaultInstanceProtocol();
        }
        return new Parsed(Optional.of(new Port(lbProtocol, lbPort, instanceProtocol, instancePort)), null);
    }

    private static boolean isNumber(String s) {
        return !s.isEmpty() && s.length() <= 9 && s.chars().allMatch(Character::isDigit);
    }

    /** The canonical spelling, which {@link #parse} reads back to an equal port. */
    @Override
    public String toString() {
        return lbProtocol.lower() + ":" + lbPort + ":" + instanceProtocol.lower() + ":" + instancePort;
    }

    public record Parsed(Optional<Port> port, String error) {
        static Parsed error(String message) {
            return new Parsed(Optional.empty(), message);
        }
    }
}
