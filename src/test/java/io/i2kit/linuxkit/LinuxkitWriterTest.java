package io.i2kit.linuxkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Whatever a scalar holds, a YAML reader gets the same string back from what the writer wrote. */
class LinuxkitWriterTest {
    private static String readBack(String scalar) {
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString("k: " + scalar);
        return (String) m.get("k");
    }

    @Property(tries = 2000)
    void anyStringReadsBackUnchanged(@ForAll @StringLength(max = 40) String s) {
        assertThat(readBack(LinuxkitWriter.scalar(s))).isEqualTo(s);
    }

    @Property(tries = 2000)
    void yamlLookalikesReadBackAsStrings(@ForAll("lookalikes") String s) {
        assertThat(readBack(LinuxkitWriter.scalar(s))).isEqualTo(s);
    }

    @Provide
    Arbitrary<String> lookalikes() {
        return Arbitraries.oneOf(
                Arbitraries.of("true", "False", "yes", "NO", "on", "off", "y", "null", "~", "", " ", "-", "- x", "-1",
                        "0644", "1e3", "0x1F", ".inf", "-.NaN", "a: b", "a:", "#x", "a #b", "&a", "*a", "!x", "|", ">",
                        "'q'", "\"q\"", "[1]", "{a}", "%x", "@x", "`x", "--flag", "KEY=", "=x", "x=1:2", "1:30"),
                Arbitraries.strings().withChars("-:# ,=.0123456789abcdeEx\"'\\\t\n{}[]&*!|>%@`?").ofMaxLength(8));
    }
}
