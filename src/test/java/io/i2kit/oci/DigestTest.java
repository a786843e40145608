package io.i2kit.oci;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DigestTest {
    private static final String HEX = "0123456789ab" + "c".repeat(52);

    @Test
    void theShortFormIsTheFirstTwelveHexDigitsWithoutTheAlgorithm() {
        assertThat(new Digest(HEX).shortForm()).isEqualTo("0123456789ab");
        assertThat(Digest.shortForm("sha256:" + HEX)).isEqualTo("0123456789ab");
    }

    @Test
    void textThatIsNotADigestIsShownAsItIs() {
        assertThat(Digest.shortForm("")).isEmpty();
        assertThat(Digest.shortForm("sha256:ami-0123")).isEqualTo("sha256:ami-0123");
        assertThat(Digest.shortForm("sha512:" + HEX)).isEqualTo("sha512:" + HEX);
    }

    @Test
    void parsesWhatItPrints() {
        Digest digest = Digest.of("hello".getBytes(StandardCharsets.UTF_8));

        assertThat(digest).hasToString("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
        assertThat(Digest.parse(digest.toString())).isEqualTo(digest);
        assertThat(Digest.shortForm(digest.toString())).isEqualTo(digest.shortForm()).isEqualTo("2cf24dba5fb0");
    }

    @Test
    void refusesOtherAlgorithmsAndUppercase() {
        assertThatThrownBy(() -> Digest.parse("sha512:" + HEX)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Digest.parse("sha256:" + HEX.toUpperCase())).isInstanceOf(IllegalArgumentException.class);
    }
}
