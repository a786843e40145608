package io.i2kit.manifest;

import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A port as compose writes it, {@code [[HOST_IP:][PUBLISHED]:]TARGET[/PROTOCOL]} or the long form,
 * reduced to what i2kit can honour. Ranges are refused: each port is a load-balancer listener.
 */
record ComposePort(Optional<String> hostIp, OptionalInt published, int target, boolean udp) {
    static final String SYNTAX = "[HOST_IP:][HOST_PORT:]CONTAINER_PORT[/PROTOCOL]";

    /** The same port in i2kit's syntax: the published port is the load balancer's, the target the instance's. */
    String toI2kit() {
        return (udp ? "udp:" : "") + published.orElse(target) + ":" + target;
    }

    /** Bound to a loopback address: compose keeps such a port on the host, so it was meant to stay private. */
    boolean loopback() {
        return hostIp.map(ip -> ip.startsWith("127.") || ip.equals("::1") || ip.equals("[::1]") || ip.equals("localhost"))
                .orElse(false);
    }

    static Parsed parse(String text) {
        String rest = text.trim();
        boolean udp = false;
        int slash = rest.lastIndexOf('/');
        if (slash >= 0) {
            Optional<Boolean> isUdp = protocol(rest.substring(slash + 1));
            if (isUdp.isEmpty()) {
                return Parsed.error(protocolError(rest.substring(slash + 1)));
            }
            udp = isUdp.get();
            rest = rest.substring(0, slash);
        }
        String hostIp = null;
        if (rest.startsWith("[")) {
            int close = rest.indexOf("]:");
            if (close < 0) {
                return Parsed.error("expected " + SYNTAX + " with an IPv6 host address in brackets");
            }
            hostIp = rest.substring(0, close + 1);
            rest = rest.substring(close + 2);
            if (!rest.contains(":")) {
                rest = ":" + rest;
            }
        }
        String[] parts = rest.split(":", -1);
        if (parts.length > 3 || (hostIp != null && parts.length != 2)) {
            return Parsed.error("expected " + SYNTAX);
        }
        if (parts.length == 3) {
            hostIp = parts[0];
        }
        String publishedText = parts.length == 1 ? "" : parts[parts.length - 2];
        OptionalInt published = OptionalInt.empty();
        if (!publishedText.isEmpty()) {
            Optional<Integer> n = number(publishedText);
            if (n.isEmpty()) {
                return Parsed.error(numberError(publishedText));
            }
            published = OptionalInt.of(n.get());
        }
        String targetText = parts[parts.length - 1];
        Optional<Integer> target = number(targetText);
        if (target.isEmpty()) {
            return Parsed.error(numberError(targetText));
        }
        return new Parsed(Optional.of(new ComposePort(Optional.ofNullable(hostIp).filter(ip -> !ip.isEmpty()),
                published, target.get(), udp)), null);
    }

    /** Whether {@code text} names udp (true) or tcp (false); empty when i2kit cannot carry it. */
    static Optional<Boolean> protocol(String text) {
        return switch (text.toLowerCase(Locale.ROOT)) {
            case "tcp" -> Optional.of(false);
            case "udp" -> Optional.of(true);
            default -> Optional.empty();
        };
    }

    static String protocolError(String protocol) {
        return "protocol \"" + protocol + "\" is not supported; expected tcp or udp";
    }

    static Optional<Integer> number(String text) {
        if (!text.isEmpty() && text.length() <= 9 && text.chars().allMatch(Character::isDigit)) {
            return Optional.of(Integer.parseInt(text));
        }
        return Optional.empty();
    }

    static String numberError(String text) {
        if (text.matches("\\d+-\\d+")) {
            return "port ranges (" + text + ") are not supported; i2kit gives each port a load-balancer listener, "
                    + "so list each port on its own";
        }
        return "\"" + text + "\" is not a port number";
    }

    record Parsed(Optional<ComposePort> port, String error) {
        static Parsed error(String message) {
            return new Parsed(Optional.empty(), message);
        }
    }
}
