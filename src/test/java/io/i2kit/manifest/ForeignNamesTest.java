package io.i2kit.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Assume;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.Chars;
import net.jqwik.api.constraints.NumericChars;
import net.jqwik.api.constraints.StringLength;

/**
 * Names the importers take from compose and Kubernetes (secret names, Secret keys) always become
 * names the validator accepts, so an imported file never fails on a name it did not choose.
 */
class ForeignNamesTest {
    @Property
    void anyForeignSecretNameBecomesAValidOne(@ForAll @StringLength(max = 300) String foreign) {
        assertThat(SecretName.isValid(SecretName.from(foreign))).as(SecretName.from(foreign)).isTrue();
    }

    @Property
    void aValidNameIsKeptAsItIs(@ForAll @AlphaChars @NumericChars @Chars({'_', '-', '.'}) @StringLength(min = 1, max = 128)
                                String candidate) {
        Assume.that(!candidate.startsWith("."));
        assertThat(SecretName.from(candidate)).isEqualTo(candidate);
    }

    @Property
    void anyComposeSecretNameGivesAValidVariable(@ForAll @StringLength(max = 300) String foreign) {
        assertThat(ComposeSecretReader.variable(foreign)).matches("[A-Za-z_][A-Za-z0-9_]*");
    }
}
