package io.i2kit.build;

import io.i2kit.I2kitException;
import io.i2kit.discovery.Discovery;
import io.i2kit.image.Compression;
import io.i2kit.linuxkit.BaseProfile;
import io.i2kit.linuxkit.ContainerTemplate;
import io.i2kit.linuxkit.ImageDefaults;
import io.i2kit.linuxkit.LinuxkitTemplate;
import io.i2kit.linuxkit.LinuxkitTranslator;
import io.i2kit.linuxkit.LinuxkitWriter;
import io.i2kit.lock.LockFile;
import io.i2kit.lock.Pins;
import io.i2kit.oci.ImageReference;
import io.i2kit.manifest.Service;
import io.i2kit.oci.Digest;
import io.i2kit.oci.ImageSources;
import io.i2kit.oci.Platform;
import io.i2kit.event.Event;
import io.i2kit.event.Progress;
import io.i2kit.oci.PulledImage;
import io.i2kit.oci.store.I2kitHome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The build stage: for every service, resolve each image reference (the lock first, then the
 * image sources, recording new digests in the lock), pull the images, render the LinuxKit YAML
 * with the images' own configs, and build it unless the cache already holds the same inputs.
 * Services build in parallel.
 */
public final class ApplicationBuilder {
    private final I2kitHome home;
    private final ImageSources sources;
    private final Progress progress;
    private final Map<String, PulledImage> pulled = new ConcurrentHashMap<>();

    public ApplicationBuilder(I2kitHome home, ImageSources sources, Progress progress) {
        this.home = home;
        this.sources = sources;
        this.progress = progress;
    }

    /** How to build: initrd compression, whether to package raw-efi, which services (empty: all). */
    public record Options(Compression compression, boolean rawEfi, Set<String> services) {
    }

    /**
     * The images, in manifest order, the lock with what was resolved for the first time, and what
     * the images showed that deserves a warning (a declared VOLUME that no mount covers).
     */
    public record Result(List<BuiltImage> images, LockFile lock, List<Event.Note> warnings) {
        public Result {
            images = List.copyOf(images);
            warnings = List.copyOf(warnings);
        }
    }

    public Result build(Discovery discovery, LockFile lock, Options options) {
        try (var store = io.i2kit.oci.store.StoreLock.shared(home, waiting -> progress.finish("store", waiting))) {
            return buildLocked(discovery, lock, options);
        }
    }

    private Result buildLocked(Discovery discovery, LockFile lock, Options options) {
        List<Service> services = discovery.application().services().stream()
                .filter(s -> options.services().isEmpty() || options.services().contains(s.name())).toList();
        for (String wanted : options.services()) {
            if (discovery.application().service(wanted).isEmpty()) {
                throw new io.i2kit.InvalidInputException("no service \"" + wanted + "\" in application "
                        + discovery.application().name());
            }
        }
        Map<String, String> digests = new ConcurrentHashMap<>(lock.images());
        ServiceBuilder builder = new ServiceBuilder(home, new SystemdBootPackager(home,
                () -> pull(BaseProfile.EFI_LOADER, digests)));
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(services.size(), 2));
        try {
            List<Future<Built>> futures = new ArrayList<>();
            for (Service service : services) {
                futures.add(pool.submit(() -> build(discovery, service, digests, options, builder)));
            }
            List<BuiltImage> images = new ArrayList<>();
            List<Event.Note> warnings = new ArrayList<>();
            for (Future<Built> f : futures) {
                Built built = join(f);
                images.add(built.image());
                warnings.addAll(built.warnings());
            }
            return new Result(images, new LockFile(new TreeMap<>(digests)), warnings);
        } finally {
            pool.shutdownNow();
        }
    }

    /** One service's image and the warnings its images gave. */
    private record Built(BuiltImage image, List<Event.Note> warnings) {
    }

    private Built build(Discovery discovery, Service service, Map<String, String> digests, Options options,
                        ServiceBuilder builder) {
        LinuxkitTemplate draft = new LinuxkitTranslator(Pins.NONE, ImageDefaults.Lookup.OFFLINE)
                .translate(discovery, service);
        Map<String, PulledImage> images = new LinkedHashMap<>();
        for (String reference : references(draft)) {
            images.put(reference, pull(reference, digests));
        }
        List<Event.Note> warnings = new ArrayList<>();
        for (ContainerTemplate t : draft.services()) {
            service.containers().stream().filter(c -> c.name().equals(t.name())).findFirst().ifPresent(c ->
                    ImageVolumeCheck.uncovered(c, t.image(), images.get(t.image()).config()).forEach(text -> warnings.add(
                            new Event.Note(Event.Phase.BUILD, Event.Level.WARNING, Optional.of(service.name()), text))));
        }
        Pins pins = new Pins(Map.copyOf(digests));
        Map<String, ImageDefaults> defaults = new LinkedHashMap<>();
        Map<String, PulledImage> byPinned = new LinkedHashMap<>();
        images.forEach((reference, image) -> {
            String pinned = pins.pin(reference);
            byPinned.put(pinned, image);
            var c = image.config();
            defaults.put(pinned, new ImageDefaults(c.entrypoint(), c.cmd(), c.env(), c.workingDir(), c.user()));
        });
        LinuxkitTemplate template = new LinuxkitTranslator(pins, ImageDefaults.Lookup.of(defaults))
                .translate(discovery, service);
        String yaml = LinuxkitWriter.write(template);
        ServiceBuilder.Request request = new ServiceBuilder.Request(discovery.application().name(), service.name(),
                yaml, byPinned, options.compression(), options.rawEfi());
        return new Built(builder.build(request, progress), warnings);
    }

    /** Every image reference of a service's image: kernel, init, onboot, services. */
    static Set<String> references(LinuxkitTemplate t) {
        Set<String> refs = new LinkedHashSet<>();
        refs.add(t.kernel().image());
        refs.addAll(t.init());
        t.onboot().stream().map(ContainerTemplate::image).forEach(refs::add);
        t.services().stream().map(ContainerTemplate::image).forEach(refs::add);
        return refs;
    }

    /**
     * The image for {@code reference}, pulled once per build: pinned by the manifest or the lock, or
     * resolved now and recorded, as a package lock records a first resolution.
     */
    private PulledImage pull(String reference, Map<String, String> digests) {
        return pulled.computeIfAbsent(reference, r -> {
            ImageReference parsed = ImageReference.parse(r).reference()
                    .orElseThrow(() -> new I2kitException("malformed image reference " + r));
            Optional<Digest> pinned = parsed.pinnedDigest().map(Digest::parse)
                    .or(() -> Optional.ofNullable(digests.get(r)).map(Digest::parse));
            Digest digest = pinned.orElseGet(() -> {
                Digest resolved = sources.requireDigest(parsed);
                digests.put(r, resolved.toString());
                return resolved;
            });
            return sources.requireImage(parsed, Optional.of(digest), Platform.LINUX_AMD64, progress);
        });
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new I2kitException("the build was interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new I2kitException("a build failed: " + e.getCause(), e.getCause());
        }
    }
}
