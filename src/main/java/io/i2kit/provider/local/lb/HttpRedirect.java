package io.i2kit.provider.local.lb;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The http listener of a service that also serves https on the same instance port: like the cloud
 * balancer's redirect action, it answers every request with a 301 to the same host, path and query
 * on the https port this machine really listens on, and forwards nothing.
 */
final class HttpRedirect {
    /** Enough for any sane request line and headers; a longer head is refused. */
    static final int MAX_HEAD = 16 * 1024;
    static final Duration READ_TIMEOUT = Duration.ofSeconds(10);
    /** A Host header worth echoing back: a DNS name or an IPv4 address, or a bracketed IPv6 address, and a port. */
    private static final Pattern HOST = Pattern.compile("(?<name>[A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\])(:[0-9]{1,5})?");

    private HttpRedirect() {
    }

    static BlockingFront.Handler handler(int httpsPort) {
        return (client, threads) -> serve(client, httpsPort);
    }

    private static void serve(Socket client, int httpsPort) throws IOException {
        client.setSoTimeout((int) READ_TIMEOUT.toMillis());
        Optional<String> head = readHead(new BufferedInputStream(client.getInputStream()));
        String response = head.flatMap(h -> location(h, httpsPort))
                .map(location -> "HTTP/1.1 301 Moved Permanently\r\nLocation: " + location
                        + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                .orElse("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        client.getOutputStream().write(response.getBytes(StandardCharsets.US_ASCII));
        client.getOutputStream().flush();
        client.shutdownOutput();
    }

    /** The request line and headers, up to the blank line; empty if the client stopped first or sent too much. */
    static Optional<String> readHead(InputStream in) throws IOException {
        byte[] head = new byte[MAX_HEAD];
        int length = 0;
        while (length < MAX_HEAD) {
            int b = in.read();
            if (b < 0) {
                return Optional.empty();
            }
            head[length++] = (byte) b;
            if (length >= 4 && head[length - 4] == '\r' && head[length - 3] == '\n' && head[length - 2] == '\r'
                    && head[length - 1] == '\n') {
                return Optional.of(new String(head, 0, length, StandardCharsets.ISO_8859_1));
            }
        }
        return Optional.empty();
    }

    /**
     * Where a request goes: https, the Host it asked for (127.0.0.1 without one, or with one not
     * fit to echo), the https port, its path and query. Empty for a head that is not an HTTP request.
     */
    static Optional<String> location(String head, int httpsPort) {
        String[] lines = head.split("\r\n");
        String[] request = lines[0].split(" ");
        if (request.length != 3 || !request[2].startsWith("HTTP/")) {
            return Optional.empty();
        }
        String target = request[1];
        if (target.regionMatches(true, 0, "http://", 0, 7)) {
            int slash = target.indexOf('/', 7);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/") || target.chars().anyMatch(c -> c <= ' ' || c >= 127)) {
            return Optional.empty();
        }
        String host = "127.0.0.1";
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0 && lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("host")) {
                var m = HOST.matcher(lines[i].substring(colon + 1).trim());
                if (m.matches()) {
                    host = m.group("name");
                }
            }
        }
        return Optional.of("https://" + host + (httpsPort == 443 ? "" : ":" + httpsPort) + target);
    }
}
