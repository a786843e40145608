package io.i2kit.pipeline;

import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.linuxkit.ImageDefaults;
import io.i2kit.linuxkit.LinuxkitTranslator;
import io.i2kit.linuxkit.LinuxkitWriter;
import io.i2kit.lock.Pins;
import io.i2kit.manifest.Application;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.SecretSpec;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.manifest.TargetReader;
import java.nio.file.Path;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.RenderedTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import io.i2kit.build.ApplicationBuilder;
import io.i2kit.build.BuiltImage;
import io.i2kit.event.Events;
import io.i2kit.image.Compression;
import io.i2kit.lock.LockFile;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.registry.RegistrySettings;
import io.i2kit.oci.store.I2kitHome;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Release;
import io.i2kit.provider.Reports;
import io.i2kit.event.Event;
import io.i2kit.secret.SecretResolver;
import io.i2kit.secret.SecretStore;
import io.i2kit.yaml.Problem;

/**
 * i2kit's pipeline, one stage per method, in the order every command runs them:
 * load → validate (with discovery) → render → build (the release) → deploy (a provider's up). Load
 * reads files, build writes the store and the lock; the others are pure. Nothing here prints: the
 * stages report through {@link Events}.
 */
public final class Pipeline {
    private Pipeline() {
    }

    /** Load: the manifest ({@code -f}, a file or a directory holding i2kit.yml) and the environment file ({@code -e}). */
    public static Loaded load(Path manifest, Optional<Path> environment) {
        Manifest m = ManifestReader.read(manifest);
        Target target = environment.map(TargetReader::read).orElse(Target.LOCAL);
        return new Loaded(m, target);
    }

    /**
     * Validate and resolve discovery: every semantic problem, including unresolvable
     * {@code ${service.…}} references, is reported at once.
     */
    public static Discovery validate(Loaded loaded) {
        return check(loaded).discovery();
    }

    /**
     * {@link #validate}, keeping the warnings about the valid manifest for the commands that show
     * them: those found while reading it and those of the semantic checks (for example, a health
     * check AWS rounds).
     */
    public static Checked check(Loaded loaded) {
        Manifest m = loaded.manifest();
        Problems problems = Problems.of(m.problems());
        ManifestValidator.validate(m.application(), loaded.target(), m.sources(), problems);
        Discovery discovery = DiscoveryResolver.resolve(m.application(), m.sources(), problems);
        problems.throwIfErrors(m.file().toString());
        return new Checked(discovery, problems.warnings());
    }

    /** A valid manifest's discovery and the warnings about it. */
    public record Checked(Discovery discovery, List<Problem> warnings) {
        public Checked {
            warnings = List.copyOf(warnings);
        }
    }

    /** Render: LinuxKit YAML per service and CloudFormation templates, with the lock's digests applied. */
    public static Rendered render(Discovery discovery, Target target, Pins pins, ImageDefaults.Lookup images) {
        LinuxkitTranslator translator = new LinuxkitTranslator(pins, images);
        List<Rendered.File> files = new ArrayList<>();
        for (Service service : discovery.application().services()) {
            files.add(new Rendered.File("linuxkit/" + service.name() + ".yml",
                    () -> LinuxkitWriter.write(translator.translate(discovery, service))));
        }
        for (RenderedTemplate t : renderCloudFormation(discovery, target)) {
            files.add(new Rendered.File("cloudformation/" + t.fileName(), t::json));
        }
        return new Rendered(files);
    }

    /** Render, the CloudFormation part: the environment stack's template, then each service's. */
    public static List<RenderedTemplate> renderCloudFormation(Discovery discovery, Target target) {
        return CloudFormationRenderer.render(discovery, target);
    }

    /**
     * Build, the release stage: the base packages when missing, every service's image (resolving
     * references the lock does not pin, and recording them), and the CloudFormation templates,
     * ready for {@code provider}. The provider checks first, so what cannot work here fails before
     * anything is built.
     */
    public static Release release(Loaded loaded, Discovery discovery, Provider provider,
                                  Optional<Provider.UpOptions> up, Events events) {
        return release(loaded, discovery, provider, up, Map.of(), events);
    }

    private static Release release(Loaded loaded, Discovery discovery, Provider provider,
                                   Optional<Provider.UpOptions> up, Map<String, Long> secretVersions, Events events) {
        List<RenderedTemplate> templates = renderCloudFormation(discovery, loaded.target());
        Release unbuilt = new Release(discovery, loaded.target(), Map.of(), templates, secretVersions);
        provider.check(unbuilt, up, events);
        I2kitHome home = I2kitHome.fromEnvironment();
        ImagePreparation.bootstrapIfMissing(home, loaded, events);
        Map<String, BuiltImage> images = new java.util.LinkedHashMap<>();
        build(loaded, discovery, new ApplicationBuilder.Options(Compression.GZIP, provider.needs().diskImage(), Set.of()),
                events).images().forEach(i -> images.put(i.service(), i));
        return new Release(discovery, loaded.target(), images, templates, secretVersions);
    }

    /** Build only, for {@code i2kit build}: the images the options ask for, the base packages when missing. */
    public static ApplicationBuilder.Result build(Loaded loaded, Discovery discovery, ApplicationBuilder.Options options,
                                                  Events events) {
        I2kitHome home = I2kitHome.fromEnvironment();
        ImageSources sources = ImageSources.standard(home, loaded.manifest().directory(),
                RegistrySettings.fromEnvironment(System.getenv()));
        LockFile lock = LockFile.read(loaded.manifest().lockFile());
        ApplicationBuilder.Result built = new ApplicationBuilder(home, sources, events.progress())
                .build(discovery, lock, options);
        built.warnings().forEach(events::emit);
        if (!built.lock().equals(lock)) {
            built.lock().write(loaded.manifest().lockFile());
        }
        return built;
    }

    /**
     * Deploy: load, validate, resolve the secrets (generating those declared with {@code generate}
     * that are unset), build the release, and hand it to the provider.
     */
    public static Reports.Deployment up(Loaded loaded, Provider provider, Secrets secrets, Provider.UpOptions options,
                                        Events events) {
        Discovery discovery = validate(loaded);
        Map<String, Long> versions = secrets(discovery, secrets, true, events);
        return provider.up(release(loaded, discovery, provider, Optional.of(options), versions, events), options, events);
    }

    /** What {@link #up} would change: the same stages, then the provider's plan instead of its up. Generates nothing. */
    public static Reports.Plan plan(Loaded loaded, Provider provider, Secrets secrets, Events events) {
        Discovery discovery = validate(loaded);
        Map<String, Long> versions = secrets(discovery, secrets, false, events);
        return provider.plan(release(loaded, discovery, provider, Optional.empty(), versions, events), events);
    }

    /**
     * The version of every secret a container reads; fails (invalid input) naming each one that is
     * neither set nor to be generated, before anything is built or started.
     */
    static Map<String, Long> secrets(Discovery discovery, Secrets secrets, boolean generate, Events events) {
        SortedMap<String, SortedSet<String>> readers = new TreeMap<>();
        for (Service s : discovery.application().services()) {
            s.secretNames().forEach(n -> readers.computeIfAbsent(n, k -> new TreeSet<>()).add(s.name()));
        }
        SecretResolver.Resolution resolution = SecretResolver.resolve(readers, generatable(discovery.application()),
                secrets.store(), generate, secrets.setCommand());
        resolution.generated().forEach(g -> events.emit(Event.Note.info(Event.Phase.DEPLOY,
                "generated secret " + g.name() + " (version " + g.version() + ")")));
        resolution.toGenerate().forEach(n -> events.emit(Event.Note.info(Event.Phase.DEPLOY,
                "secret " + n + " is not set; up will generate it")));
        return resolution.versions();
    }

    /** The secrets the manifest declares with {@code generate} (its top-level {@code secrets}), with their length. */
    static Map<String, Integer> generatable(Application application) {
        Map<String, Integer> generatable = new TreeMap<>();
        application.secrets().stream().filter(SecretSpec::generate)
                .forEach(s -> generatable.put(s.name(), s.length()));
        return generatable;
    }

    /**
     * Where the target keeps the application's secrets, and how the user sets one ({@code i2kit
     * secret set -f FILE [-e ENV]}, as typed), for the message when one is missing.
     */
    public record Secrets(SecretStore store, String setCommand) {
    }

    /** The manifest and target as loaded. */
    public record Loaded(Manifest manifest, Target target) {
    }
}
