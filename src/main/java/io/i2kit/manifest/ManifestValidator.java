package io.i2kit.manifest;

import io.i2kit.yaml.SourceMap;
import io.i2kit.yaml.Suggestions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks that need the whole model: names, ports shared inside a pod, certificates, capabilities.
 * Shape and range errors were already reported while reading.
 */
public final class ManifestValidator {
    static final Pattern DNS_LABEL = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern DOMAIN = Pattern.compile("(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Linux capabilities as of 6.1, without the CAP_ prefix. */
    public static final Set<String> CAPABILITIES = Set.of("AUDIT_CONTROL", "AUDIT_READ", "AUDIT_WRITE",
            "BLOCK_SUSPEND", "BPF", "CHECKPOINT_RESTORE", "CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER",
            "FSETID", "IPC_LOCK", "IPC_OWNER", "KILL", "LEASE", "LINUX_IMMUTABLE", "MAC_ADMIN", "MAC_OVERRIDE",
            "MKNOD", "NET_ADMIN", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_RAW", "PERFMON", "SETFCAP",
            "SETGID", "SETPCAP", "SETUID", "SYS_ADMIN", "SYS_BOOT", "SYS_CHROOT", "SYS_MODULE", "SYS_NICE",
            "SYS_PACCT", "SYS_PTRACE", "SYS_RAWIO", "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "SYSLOG",
            "WAKE_ALARM");

    private final SourceMap sources;
    private final Problems problems;
    private final VolumeSecretValidator storage;

    private ManifestValidator(SourceMap sources, Problems problems) {
        this.sources = sources;
        this.problems = problems;
        this.storage = new VolumeSecretValidator(sources, problems);
    }

    /** Adds every semantic problem of {@code app} (as deployed to {@code target}) to {@code problems}. */
    public static void validate(Application app, Target target, SourceMap sources, Problems problems) {
        new ManifestValidator(sources, problems).check(app, target);
    }

    private void error(String path, String message) {
        problems.error(sources.at(path), path, message);
    }

    private void check(Application app, Target target) {
        if (!DNS_LABEL.matcher(app.name()).matches()) {
            error("name", "\"" + app.name() + "\" is not usable as a DNS label; expected lowercase letters, digits and "
                    + "hyphens, starting with a letter, at most 63 characters" + hint(app.name()));
        }
        if (!DOMAIN.matcher(app.domain()).matches()) {
            error("domain", "\"" + app.domain() + "\" is not a valid DNS domain; expected lowercase labels separated by dots");
        }
        Set<String> lowered = new HashSet<>();
        for (Service service : app.services()) {
            String path = "services." + service.name();
            if (!DNS_LABEL.matcher(service.name()).matches()) {
                error(path, "service name \"" + service.name() + "\" is not usable as a DNS label; expected lowercase "
                        + "letters, digits and hyphens, starting with a letter" + hint(service.name()));
            } else if (!lowered.add(service.name())) {
                error(path, "service name \"" + service.name() + "\" is used twice");
            }
            String host = service.name() + "." + app.zone();
            if (host.length() > 253) {
                error(path, "the discovery name " + host + " is longer than 253 characters; shorten the names");
            }
            checkService(service, path, target);
        }
        storage.checkDeclarations(app);
    }

    /**
     * Names in {@code uses}: an unknown one or the service itself is an error; one written twice, or
     * one without ports (it has nothing to announce), is harmless and a warning. Made as the
     * manifest is read, whatever its format, because it does not depend on the target: its warnings
     * stay with the manifest, which every command shows.
     */
    static void checkUses(Application app, SourceMap sources, Problems problems) {
        ManifestValidator v = new ManifestValidator(sources, problems);
        app.services().forEach(s -> v.checkUses(app, s, "services." + s.name()));
    }

    private void checkUses(Application app, Service service, String path) {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < service.uses().size(); i++) {
            String used = service.uses().get(i);
            String upath = path + ".uses[" + i + "]";
            Optional<Service> target = app.service(used);
            if (used.equals(service.name())) {
                error(upath, "a service does not use itself: the containers of its pod reach each other on localhost");
            } else if (target.isEmpty()) {
                List<String> others = app.services().stream().map(Service::name)
                        .filter(n -> !n.equals(service.name())).toList();
                error(upath, "unknown service \"" + used + "\"" + Suggestions.closest(used, others)
                        .map(s -> "; did you mean \"" + s + "\"?").orElse(""));
            } else if (!seen.add(used)) {
                problems.warning(sources.at(upath), upath, "\"" + used + "\" is listed twice");
            } else if (target.get().ports().isEmpty()) {
                problems.warning(sources.at(upath), upath, "service \"" + used + "\" exposes no ports, so it has "
                        + "nothing to announce; ignored");
            }
        }
    }

    static String hint(String name) {
        String fixed = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]+", "-").replaceAll("^[^a-z]+|-+$", "");
        return fixed.isEmpty() || fixed.equals(name) || !DNS_LABEL.matcher(fixed).matches() ? "" : "; try \"" + fixed + "\"";
    }

    private void checkService(Service service, String path, Target target) {
        if (service.containers().isEmpty()) {
            return; // reported while reading: an empty pod
        }
        Map<String, String> instancePorts = new HashMap<>();
        Map<String, String> lbPorts = new HashMap<>();
        for (Container c : service.containers()) {
            String cpath = path + ".containers." + c.name();
            if (!DNS_LABEL.matcher(c.name()).matches()) {
                error(cpath, "container name \"" + c.name() + "\" is not usable as a DNS label" + hint(c.name()));
            }
            List<Port> ports = c.ports();
            for (int i = 0; i < ports.size(); i++) {
                Port port = ports.get(i);
                String ppath = cpath + ".ports[" + i + "]";
                String transport = port.instanceProtocol() == Protocol.UDP ? "udp" : "tcp";
                String owner = instancePorts.putIfAbsent(transport + "/" + port.instancePort(), c.name());
                if (owner != null && sharesWithItsHttpsTwin(c, port)) {
                    owner = null;
                } else if (owner != null) {
                    error(ppath, "instance port " + port.instancePort() + " is already used by container \"" + owner
                            + "\" of the same pod (containers of a pod share the VM's network)");
                }
                String lbTransport = port.lbProtocol() == Protocol.UDP ? "udp" : "tcp";
                String lbOwner = lbPorts.putIfAbsent(lbTransport + "/" + port.lbPort(), c.name());
                if (lbOwner != null && owner == null) {
                    error(ppath, "load-balancer port " + port.lbPort() + " is already used by container \"" + lbOwner
                            + "\" of this service");
                }
                if (port.lbProtocol().needsCertificate() && target.provider() == Target.Provider.AWS
                        && target.certificate().isEmpty() && (target.publicZone().isEmpty() || !service.isPublic())) {
                    error(ppath, port.lbProtocol().lower() + " needs a certificate: set certificate in the "
                            + "environment file" + (service.isPublic() ? ", or public_zone so that i2kit requests one"
                            : " (i2kit requests one only for a public service's public names)") + ", or use http/tcp");
                }
            }
            for (String name : c.environment().keySet()) {
                if (!ENV_NAME.matcher(name).matches()) {
                    error(cpath + ".environment." + name, "\"" + name + "\" is not a valid environment variable name");
                }
            }
            checkCapabilities(c.capabilities(), cpath + ".capabilities");
            checkCapabilities(c.capDrop(), cpath + ".cap_drop");
            for (int i = 0; i < c.binds().size(); i++) {
                checkBind(c.binds().get(i), cpath + ".binds[" + i + "]");
            }
            c.workingDir().filter(w -> !w.startsWith("/"))
                    .ifPresent(w -> error(cpath + ".working_dir", "expected an absolute path, found \"" + w + "\""));
            storage.checkSecrets(c, cpath);
            storage.checkMounts(service, c, cpath);
        }
        storage.checkVolumes(service, path);
        if (!service.ports().isEmpty() && service.health().isEmpty()) {
            error(path, "every port of this service is udp, which a load balancer cannot check by connecting; "
                    + "set health.port to a tcp port the service answers on");
        }
        if (target.provider() == Target.Provider.AWS) {
            service.health().ifPresent(h -> checkAwsHealth(h, path + ".health"));
            checkAwsRedirects(service, path);
        }
        if (service.isPublic() && service.ports().isEmpty()) {
            error(path + ".public", "a public service needs at least one port to publish");
        }
        service.hostname().ifPresent(h -> checkHostname(service, h, path + ".hostname", target));
        service.autoscaling().ifPresent(a -> checkAutoscaling(service, a, path + ".replicas"));
    }

    /**
     * An http port may share its instance port with an https port of the same container: the
     * balancer serves both, plain and TLS, to the one listener in the VM (and redirects the plain one).
     */
    private static boolean sharesWithItsHttpsTwin(Container c, Port port) {
        return c.ports().stream().filter(p -> p != port && p.instancePort() == port.instancePort()
                        && p.instanceProtocol() == port.instanceProtocol())
                .map(Port::lbProtocol)
                .sorted()
                .toList()
                .equals(List.of(port.lbProtocol() == Protocol.HTTP ? Protocol.HTTPS : Protocol.HTTP))
                && (port.lbProtocol() == Protocol.HTTP || port.lbProtocol() == Protocol.HTTPS);
    }

    private void checkHostname(Service service, String hostname, String path, Target target) {
        if (!DOMAIN.matcher(hostname).matches()) {
            error(path, "\"" + hostname + "\" is not a valid DNS name; expected lowercase labels separated by dots");
            return;
        }
        if (!service.isPublic()) {
            error(path, "only a public service has a hostname; add public: true or remove hostname");
            return;
        }
        if (target.provider() != Target.Provider.AWS) {
            return;
        }
        Optional<String> zone = target.publicZone().map(z -> z.endsWith(".") ? z.substring(0, z.length() - 1) : z);
        if (zone.isEmpty()) {
            error(path, "a hostname needs public_zone in the environment file: the zone that holds " + hostname);
        } else if (!hostname.equals(zone.get()) && !hostname.endsWith("." + zone.get())) {
            error(path, hostname + " is not in the public zone " + zone.get() + "; use " + zone.get()
                    + " itself or a name that ends in ." + zone.get());
        }
    }

    private void checkAutoscaling(Service service, Autoscaling scaling, String path) {
        if (service.isStateful()) {
            error(path, "a service with volumes keeps one volume per replica, so its replica count is fixed; "
                    + "use a number, or move the data to a service of its own");
        }
        // only an application load balancer counts requests, and a service gets one only when every
        // port is http or https (a tcp, tls or udp port puts all of them on a network load balancer)
        if (scaling.requestsPerTarget().isPresent() && (service.ports().isEmpty()
                || !service.ports().stream().allMatch(p -> p.lbProtocol().isHttpFamily()))) {
            error(path + ".requests_per_target", "requests are counted by an http load balancer, which a service gets "
                    + "only when every port is http or https; scale on cpu instead");
        }
    }

    /**
     * A service with a tcp, tls or udp port gets a network load balancer on AWS, whose listeners
     * cannot speak HTTP: an http port there forwards to the instance where it would redirect.
     */
    private void checkAwsRedirects(Service service, String path) {
        if (service.ports().stream().allMatch(p -> p.lbProtocol().isHttpFamily())) {
            return;
        }
        for (Container c : service.containers()) {
            for (int i = 0; i < c.ports().size(); i++) {
                Port port = c.ports().get(i);
                if (service.redirectTarget(port).isPresent()) {
                    String ppath = path + ".containers." + c.name() + ".ports[" + i + "]";
                    problems.warning(sources.at(ppath), ppath, "on AWS this service has a network load balancer (it "
                            + "has tcp, tls or udp ports), which cannot redirect: http port " + port.lbPort()
                            + " forwards to the instance instead; give the http and https ports a service of their own "
                            + "to redirect, or set redirect_http: false");
                }
            }
        }
    }

    /**
     * Target groups accept whole seconds in narrower ranges than the local load balancer honours.
     * One manifest serves every target, so this is a warning: the rendered template uses the
     * nearest value AWS accepts.
     */
    private void checkAwsHealth(Health h, String path) {
        checkSeconds(h.interval(), 5, 300, path + ".interval");
        checkSeconds(h.timeout(), 2, 120, path + ".timeout");
        checkThreshold(h.healthyThreshold(), path + ".healthy_threshold");
        checkThreshold(h.unhealthyThreshold(), path + ".unhealthy_threshold");
    }

    private void checkSeconds(java.time.Duration d, int min, int max, String path) {
        long seconds = Math.max(min, Math.min(max, d.toSeconds() + (d.toMillis() % 1000 == 0 ? 0 : 1)));
        if (d.toMillis() % 1000 != 0 || d.toSeconds() < min || d.toSeconds() > max) {
            problems.warning(sources.at(path), path, "AWS load balancers accept whole seconds from " + min + "s to "
                    + max + "s; " + Durations.format(d) + " becomes " + seconds + "s on AWS");
        }
    }

    private void checkThreshold(int value, String path) {
        if (value < 2) {
            problems.warning(sources.at(path), path, "AWS load balancers accept thresholds from 2 to 10; " + value
                    + " becomes 2 on AWS");
        }
    }

    private void checkCapabilities(List<String> caps, String path) {
        for (int i = 0; i < caps.size(); i++) {
            String cap = caps.get(i).toUpperCase(Locale.ROOT).replaceFirst("^CAP_", "");
            if (cap.equals("ALL")) {
                continue;
            }
            if (!CAPABILITIES.contains(cap)) {
                String hint = Suggestions.closest(cap, CAPABILITIES).map(s -> "; did you mean " + s + "?").orElse("");
                error(path + "[" + i + "]", "unknown capability \"" + caps.get(i) + "\"" + hint);
            }
        }
    }

    private void checkBind(String bind, String path) {
        String[] parts = bind.split(":");
        if (parts.length < 2 || parts.length > 3 || !parts[0].startsWith("/") || !parts[1].startsWith("/")) {
            error(path, "expected /host/path:/container/path[:options], found \"" + bind + "\"");
        } else if (List.of(parts[0].split("/")).contains("..") || List.of(parts[1].split("/")).contains("..")) {
            error(path, "a bind path may not contain \"..\"");
        }
    }
}
