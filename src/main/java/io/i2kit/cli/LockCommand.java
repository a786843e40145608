package io.i2kit.cli;

import io.i2kit.I2kitException;
import io.i2kit.linuxkit.BaseProfile;
import io.i2kit.lock.LockFile;
import io.i2kit.lock.Locker;
import io.i2kit.lock.ImageSourceResolver;
import io.i2kit.manifest.Manifest;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.pipeline.Pipeline;
import io.i2kit.oci.store.I2kitHome;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "lock", mixinStandardHelpOptions = true,
        description = {"Records in i2kit.lock (beside the manifest) the digest of every base package and image "
                + "reference that is not locked yet; with --update, resolves all of them again.",
                "Builds use the lock, not the tags, so they stay repeatable after tags move or packages vanish."},
        footerHeading = "%nExamples:%n",
        footer = {"  i2kit lock -f examples/web", "  i2kit lock -f examples/web --update"})
final class LockCommand implements Runnable {
    @Mixin
    ApplicationOptions app;
    @Mixin
    OutputOptions output;
    @Option(names = "--update", description = "Resolve every reference again, replacing the locked digests.")
    boolean update;
    @Spec
    CommandSpec spec;

    record Result(String lockFile, List<String> added, List<String> changed, List<String> unresolved) {
    }

    @Override
    public void run() {
        Pipeline.Loaded loaded = app.load();
        Pipeline.validate(loaded);
        Manifest manifest = loaded.manifest();
        LockFile existing = LockFile.read(manifest.lockFile());
        // The local store of built base packages (i2kit.local/...) joins the sources when it exists.
        RegistrySettings registries = RegistrySettings.fromEnvironment(System.getenv());
        Locker locker = new Locker(List.of(new ImageSourceResolver(
                dir -> ImageSources.standard(I2kitHome.fromEnvironment(), dir, registries))));
        List<String> base = BaseProfile.of(manifest.application().packages()).references(manifest.application().services());
        Locker.Result result = locker.lock(manifest, base, existing, update);
        result.lock().write(manifest.lockFile());
        var out = spec.commandLine().getOut();
        if (output.json()) {
            OutputOptions.printJson(out, new Result(manifest.lockFile().toString(), result.added(), result.changed(),
                    result.unresolved()));
        } else {
            result.added().forEach(r -> out.println("locked  " + r + "@" + result.lock().images().get(r)));
            result.changed().forEach(r -> out.println("updated " + r + "@" + result.lock().images().get(r)));
            out.println("wrote " + manifest.lockFile() + " (" + result.lock().images().size() + " references)");
        }
        out.flush();
        if (!result.unresolved().isEmpty()) {
            throw new I2kitException("cannot resolve " + result.unresolved().size()
                    + (result.unresolved().size() == 1 ? " reference" : " references") + " (the others are locked):\n  "
                    + String.join("\n  ", result.unresolved()));
        }
    }
}
