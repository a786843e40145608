package io.i2kit.bootstrap.debian;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DebVersionTest {
    @ParameterizedTest
    @CsvSource({
            "1.0~rc1, 1.0",
            "1.0, 1.0-1",
            "1.0-1, 1.0-1+deb12u1",
            "2.36-9+deb12u9, 2.36-9+deb12u14",
            "9, 1:0.1",
            "1.0a, 1.0+",
            "1.2, 1.10",
            "1.1.5+ds1-1, 1.1.5+ds1-1+deb12u1",
            "252.39-1~deb12u1, 252.39-1",
            "0.9~, 0.9",
    })
    void ordersAsDpkgDoes(String older, String newer) {
        assertThat(DebVersion.parse(older)).isLessThan(DebVersion.parse(newer));
        assertThat(DebVersion.parse(newer)).isGreaterThan(DebVersion.parse(older));
    }

    @ParameterizedTest
    @CsvSource({"1.0, 1.00", "0:1.0-1, 1.0-1", "1.01, 1.1"})
    void equalVersions(String a, String b) {
        assertThat(DebVersion.parse(a).compareTo(DebVersion.parse(b))).isZero();
    }

    @Property
    void comparisonIsAntisymmetric(@ForAll @StringLength(min = 1, max = 8) @CharRange(from = '0', to = '9') @CharRange(from = 'a', to = 'c')
                                   @CharRange(from = '~', to = '~') @CharRange(from = '.', to = '.') String a,
                                   @ForAll @StringLength(min = 1, max = 8) @CharRange(from = '0', to = '9') @CharRange(from = 'a', to = 'c')
                                   @CharRange(from = '~', to = '~') @CharRange(from = '+', to = '+') String b) {
        assertThat(Integer.signum(DebVersion.compareParts(a, b))).isEqualTo(-Integer.signum(DebVersion.compareParts(b, a)));
    }
}
