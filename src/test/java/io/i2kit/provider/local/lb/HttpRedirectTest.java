package io.i2kit.provider.local.lb;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class HttpRedirectTest {
    private static Optional<String> location(String head, int port) {
        return HttpRedirect.location(head, port);
    }

    @Test
    void keepsHostPathAndQueryAndNamesTheHttpsPort() {
        assertThat(location("GET /a/b?c=d HTTP/1.1\r\nHost: vote.polls.localhost:8080\r\n\r\n", 8443))
                .contains("https://vote.polls.localhost:8443/a/b?c=d");
        assertThat(location("GET / HTTP/1.1\r\nhost: [::1]:80\r\n\r\n", 8443)).contains("https://[::1]:8443/");
        assertThat(location("POST /x HTTP/1.1\r\nHost: example.com\r\n\r\n", 443)).contains("https://example.com/x");
        assertThat(location("GET http://example.com:80/p?q HTTP/1.1\r\nHost: example.com\r\n\r\n", 443))
                .contains("https://example.com/p?q");
    }

    @Test
    void aHostNotFitToEchoBecomesTheLoopback() {
        assertThat(location("GET / HTTP/1.1\r\nHost: evil\"<script>\r\n\r\n", 8443)).contains("https://127.0.0.1:8443/");
        assertThat(location("GET / HTTP/1.0\r\n\r\n", 8443)).contains("https://127.0.0.1:8443/");
    }

    @Test
    void whatIsNotAnHttpRequestGetsNoLocation() {
        assertThat(location("hello\r\n\r\n", 8443)).isEmpty();
        assertThat(location("GET relative HTTP/1.1\r\n\r\n", 8443)).isEmpty();
        assertThat(location("GET /a b HTTP/1.1\r\n\r\n", 8443)).isEmpty();
    }

    @Test
    void theHeadIsReadUpToTheBlankLineAndNoFurther() throws Exception {
        byte[] sent = "GET / HTTP/1.1\r\nHost: a\r\n\r\nBODY".getBytes(StandardCharsets.US_ASCII);
        assertThat(HttpRedirect.readHead(new ByteArrayInputStream(sent))).contains("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
        assertThat(HttpRedirect.readHead(new ByteArrayInputStream("GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII)))).isEmpty();
        assertThat(HttpRedirect.readHead(new ByteArrayInputStream(("GET /" + "a".repeat(HttpRedirect.MAX_HEAD)).getBytes(StandardCharsets.US_ASCII)))).isEmpty();
    }
}
