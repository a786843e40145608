package io.i2kit.pipeline;

import io.i2kit.discovery.Discovery;
import io.i2kit.discovery.DiscoveryResolver;
import io.i2kit.linuxkit.ImageDefaults;
import io.i2kit.linuxkit.LinuxkitTranslator;
import io.i2kit.linuxkit.LinuxkitWriter;
import io.i2kit.lock.Pins;
import io.i2kit.manifest.Manifest;
import io.i2kit.manifest.ManifestReader;
import io.i2kit.manifest.ManifestValidator;
import io.i2kit.manifest.Problems;
import io.i2kit.manifest.Service;
import io.i2kit.manifest.Target;
import io.i2kit.manifest.TargetReader;
import java.nio.file.Path;
import io.i2kit.cloudformation.CloudFormationRenderer;
import io.i2kit.cloudformation.RenderedTemplate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * i2kit's pipeline, one stage per method, in the order every command runs them:
 * load → validate (with discovery) → render → build → deploy. Stages are pure functions of their
 * inputs except load, which reads files; nothing here prints.
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
        Manifest m = loaded.manifest();
        Problems problems = Problems.of(m.problems());
        ManifestValidator.validate(m.application(), loaded.target(), m.sources(), problems);
        Discovery discovery = DiscoveryResolver.resolve(m.application(), m.sources(), problems);
        problems.throwIfErrors(m.file().toString());
        return discovery;
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

    /** The manifest and target as loaded. */
    public record Loaded(Manifest manifest, Target target) {
    }
}
