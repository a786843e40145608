package io.i2kit.discovery;

import io.i2kit.manifest.Placeholder;
/**
 * How the other services reach one service: a stable name and its first load-balancer port.
 * Never an address, so the same image runs on every target.
 */
public record ServiceEndpoint(String service, String host, int port) {
    public String endpoint() {
        return host + ":" + port;
    }

    /** The prefix of the announced variables: {@code queue-db} becomes {@code QUEUE_DB}. */
    public String variablePrefix() {
        return variablePrefix(service);
    }

    public static String variablePrefix(String service) {
        return service.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
    }

    /** The value of {@code ${service.attribute}}. */
    public String attribute(Placeholder.Attribute attribute) {
        return switch (attribute) {
            case HOST -> host;
            case PORT -> Integer.toString(port);
            case ENDPOINT -> endpoint();
        };
    }
}
