package io.i2kit.image.disk;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class ShortNameTest {
    @Test
    void upperCase83NamesNeedNoLongName() {
        assertThat(ShortName.exact("BOOTX64.EFI")).hasToString("BOOTX64.EFI");
        assertThat(ShortName.exact("EFI")).hasToString("EFI");
        assertThat(ShortName.exact("loader.conf")).isNull();
        assertThat(ShortName.exact("entries")).isNull();
        assertThat(ShortName.exact("TOOLONGNAME")).isNull();
        assertThat(ShortName.exact("A.B.C")).isNull();
        assertThat(ShortName.exact("NAME.")).isNull();
    }

    @Test
    void aliasesFollowTheWindowsShape() {
        assertThat(derive("entries")).hasToString("ENTRIES");
        assertThat(derive("loader.conf")).hasToString("LOADER~1.CON");
        assertThat(derive("i2kit.conf")).hasToString("I2KIT~1.CON");
        assertThat(derive("vmlinuz")).hasToString("VMLINUZ");
        assertThat(derive("a+b.c")).hasToString("A_B~1.C");
        assertThat(derive(".hidden")).hasToString("HIDDEN~1");
        assertThat(derive("my file.txt")).hasToString("MYFILE~1.TXT");
        assertThat(derive("ünï.txt")).hasToString("_N_~1.TXT");
    }

    @Test
    void takenAliasesGetTheNextNumberAndAShorterBase() {
        Set<String> taken = new HashSet<>(List.of("LONGFI~1.TXT", "LONGFI~2.TXT", "LONGFI~3.TXT", "LONGFI~4.TXT",
                "LONGFI~5.TXT", "LONGFI~6.TXT", "LONGFI~7.TXT", "LONGFI~8.TXT", "LONGFI~9.TXT"));
        assertThat(ShortName.derive("longfilename.txt", n -> taken.contains(n.toString()))).hasToString("LONGF~10.TXT");
        assertThat(ShortName.derive("entries", n -> n.toString().equals("ENTRIES"))).hasToString("ENTRIE~1");
    }

    @Test
    void bytesArePaddedAndTheChecksumRotates() {
        ShortName name = derive("loader.conf");
        assertThat(new String(name.bytes(), StandardCharsets.US_ASCII)).isEqualTo("LOADER~1CON");
        assertThat(name.checksum()).isEqualTo(rotatingSum(name.bytes()));
        assertThat(new String(ShortName.exact("EFI").bytes(), StandardCharsets.US_ASCII)).isEqualTo("EFI        ");
    }

    @Property(tries = 200)
    void aliasesInOneDirectoryAreDistinctAndValid(@ForAll @Size(max = 40) List<@StringLength(min = 1, max = 20) String> names) {
        Set<String> taken = new HashSet<>();
        for (String name : names) {
            ShortName alias = ShortName.derive(name, n -> taken.contains(n.toString()));
            assertThat(taken.add(alias.toString())).isTrue();
            assertThat(alias.base()).matches("[A-Z0-9$%'\\-_@~`!(){}^#&]{1,8}");
            assertThat(alias.extension()).matches("[A-Z0-9$%'\\-_@~`!(){}^#&]{0,3}");
        }
    }

    private static ShortName derive(String name) {
        return ShortName.derive(name, n -> false);
    }

    /** The specification's formulation: rotate the 8-bit sum right by one, then add the next byte. */
    private static int rotatingSum(byte[] name) {
        int sum = 0;
        for (byte b : name) {
            sum = ((sum >>> 1) | (sum << 7)) & 0xFF;
            sum = (sum + (b & 0xFF)) & 0xFF;
        }
        return sum;
    }
}
