package io.i2kit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The layers of docs/architecture.md, enforced: each package depends only on the layers below it,
 * packages form no cycles, the providers know nothing of each other, the CLI names a concrete
 * provider only in its factory, and only the CLI prints.
 */
class ArchitectureTest {
    /** Top first; a layer may use any layer below it and none above. */
    private static final List<String[]> LAYERS = List.of(
            new String[] {"cli", "io.i2kit.cli.."},
            new String[] {"providers", "io.i2kit.provider.local..", "io.i2kit.provider.aws.."},
            new String[] {"pipeline", "io.i2kit.pipeline.."},
            new String[] {"provider interface", "io.i2kit.provider"},
            new String[] {"stages", "io.i2kit.bootstrap..", "io.i2kit.build..", "io.i2kit.cloudformation.."},
            new String[] {"linuxkit", "io.i2kit.linuxkit.."},
            new String[] {"lock", "io.i2kit.lock.."},
            new String[] {"secret", "io.i2kit.secret.."},
            new String[] {"discovery", "io.i2kit.discovery.."},
            new String[] {"manifest", "io.i2kit.manifest.."},
            new String[] {"image", "io.i2kit.image.."},
            new String[] {"oci", "io.i2kit.oci.."},
            new String[] {"base", "io.i2kit", "io.i2kit.yaml..", "io.i2kit.event.."});

    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
                .importPackages("io.i2kit");
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        Architectures.LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (String[] layer : LAYERS) {
            rule = rule.layer(layer[0]).definedBy(Arrays.copyOfRange(layer, 1, layer.length));
        }
        for (int i = 1; i < LAYERS.size(); i++) {
            String[] above = LAYERS.subList(0, i).stream().map(l -> l[0]).toArray(String[]::new);
            rule = rule.whereLayer(LAYERS.get(i)[0]).mayOnlyBeAccessedByLayers(above);
        }
        rule.whereLayer("cli").mayNotBeAccessedByAnyLayer().check(classes);
    }

    @Test
    void packagesFormNoCycles() {
        slices().matching("io.i2kit.(*)..").should().beFreeOfCycles().check(classes);
        slices().matching("io.i2kit.provider.(*)..").should().notDependOnEachOther().check(classes);
    }

    @Test
    void onlyTheFactoryNamesAConcreteProvider() {
        noClasses().that().resideInAPackage("io.i2kit.cli..").and().doNotHaveSimpleName("Providers")
                .should().dependOnClassesThat().resideInAnyPackage("io.i2kit.provider.local..", "io.i2kit.provider.aws..")
                .check(classes);
    }

    @Test
    void onlyTheCliPrintsAndParsesCommandLines() {
        noClasses().that().resideOutsideOfPackage("io.i2kit.cli..").should(ACCESS_STANDARD_STREAMS).check(classes);
        noClasses().that().resideOutsideOfPackage("io.i2kit.cli..").should().dependOnClassesThat()
                .resideInAPackage("picocli..").check(classes);
    }
}
