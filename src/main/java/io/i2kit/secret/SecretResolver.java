package io.i2kit.secret;

import io.i2kit.InvalidInputException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;

/**
 * Before {@code plan} or {@code up} starts anything: the version of every secret the application's
 * containers read, from the target's store. A secret that is not set but declared with
 * {@code generate} gets a random value at {@code up} (a plan only says it will); any other unset
 * secret fails the command with the exact {@code i2kit secret set} to run.
 */
public final class SecretResolver {
    /** URL-safe: the value survives a shell, a URL and an environment file without quoting. */
    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private SecretResolver() {
    }

    /**
     * What the application reads and where it stands.
     *
     * @param versions  each secret read, with the version the VMs will get (1 for one still to generate)
     * @param generated secrets {@code up} just generated
     * @param toGenerate secrets a plan found unset that {@code up} will generate
     */
    public record Resolution(SortedMap<String, Long> versions, List<SecretInfo> generated, List<String> toGenerate) {
        public Resolution {
            versions = java.util.Collections.unmodifiableSortedMap(new TreeMap<>(versions));
            generated = List.copyOf(generated);
            toGenerate = List.copyOf(toGenerate);
        }
    }

    /**
     * @param readers     each secret read by a container, with the services that read it
     * @param generatable secrets declared with {@code generate}, with their length
     * @param generate    whether to generate (up) or only say so (plan)
     * @param setCommand  the start of the command that sets a secret ({@code i2kit secret set -f FILE}),
     *                    as the user would type it
     */
    public static Resolution resolve(SortedMap<String, SortedSet<String>> readers, Map<String, Integer> generatable,
                                     SecretStore store, boolean generate, String setCommand) {
        if (readers.isEmpty()) {
            return new Resolution(new TreeMap<>(), List.of(), List.of());
        }
        Map<String, Long> set = store.versions(readers.keySet());
        List<String> missing = new ArrayList<>();
        List<String> toGenerate = new ArrayList<>();
        readers.keySet().stream().filter(n -> !set.containsKey(n))
                .forEach(n -> (generatable.containsKey(n) ? toGenerate : missing).add(n));
        if (!missing.isEmpty()) {
            throw new InvalidInputException(notSet(missing, readers, setCommand));
        }
        SortedMap<String, Long> versions = new TreeMap<>(set);
        List<SecretInfo> generated = new ArrayList<>();
        for (String name : toGenerate) {
            if (generate) {
                SecretInfo info = store.set(name, random(generatable.get(name)));
                generated.add(info);
                versions.put(name, info.version());
            } else {
                versions.put(name, 1L);
            }
        }
        return new Resolution(versions, generated, generate ? List.of() : toGenerate);
    }

    /** {@code length} characters of {@link #ALPHABET}, each uniformly random (6 bits of a secure random byte). */
    static byte[] random(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) ALPHABET[bytes[i] & 0x3f];
        }
        return bytes;
    }

    private static String notSet(List<String> missing, Map<String, SortedSet<String>> readers, String setCommand) {
        Map<String, String> lines = new LinkedHashMap<>();
        for (String name : missing) {
            SortedSet<String> services = readers.get(name);
            lines.put(name, "secret " + name + " is not set (read by " + (services.size() == 1 ? "service " : "services ")
                    + String.join(", ", services) + "); set it with: " + setCommand + " " + name);
        }
        if (lines.size() == 1) {
            return lines.values().iterator().next();
        }
        return lines.size() + " secrets are not set:\n  " + String.join("\n  ", lines.values());
    }
}
