package io.i2kit.cloudformation;

import java.nio.file.Path;

/**
 * Writes a large i2kit manifest: services of three containers each, mixing http, https, tcp and
 * udp ports (http beside https on one instance port, which redirects), some public, some workers,
 * each one referring to the next one's endpoint; every sixth keeps data on volumes and reads a
 * secret; some stateless ones scale, on requests (http only) or on CPU.
 */
final class GeneratedApplication {
    private GeneratedApplication() {
    }

    static Path write(Path dir, int services) {
        StringBuilder yaml = new StringBuilder("name: big\ndomain: corp.internal\nservices:\n");
        for (int i = 0; i < services; i++) {
            int shape = i % 5;
            yaml.append("  s").append(i).append(":\n");
            boolean stateful = i % 6 == 5;
            if (!stateful && shape == 0 && i % 2 == 0) {
                yaml.append("    replicas: {min: ").append(1 + i % 3).append(", max: 8, requests_per_target: 400}\n");
            } else if (!stateful && i % 4 == 1) {
                yaml.append("    replicas: {min: ").append(1 + i % 3).append(", max: 6, cpu: 55}\n");
            } else {
                yaml.append("    replicas: ").append(1 + i % 3).append('\n');
            }
            if (shape != 4 && i % 7 == 0) {
                yaml.append("    public: true\n");
            }
            if (stateful) {
                yaml.append("    volumes:\n      data:\n        size: ").append(1 + i % 4).append("GiB\n")
                        .append("      cache:\n        size: 64MiB\n");
            }
            yaml.append("    containers:\n");
            String[][] ports = switch (shape) {
                case 0 -> new String[][] {{"80", "\"https:443:http:80\""}, {"\"http:8081\""}, {}};
                case 1 -> new String[][] {{"\"tcp:5432\""}, {"8080"}, {"\"udp:514\""}};
                case 2 -> new String[][] {{"\"https:443:http:8080\""}, {"\"udp:53\""}, {"\"tcp:9000\""}};
                case 3 -> new String[][] {{"\"tls:6380:tcp:6379\""}, {"\"udp:4789\"", "\"udp:4790\""}, {"3000"}};
                default -> new String[][] {{}, {}, {}};
            };
            for (int c = 0; c < 3; c++) {
                yaml.append("      c").append(c).append(":\n");
                yaml.append("        image: registry.example.com/big/s").append(i).append("-c").append(c).append(":1.0\n");
                if (stateful && c == 0) {
                    yaml.append("        mounts: [\"data:/data\", \"cache:/cache:ro\"]\n");
                    yaml.append("        secrets:\n          PASSWORD: s").append(i).append("-password\n");
                }
                if (ports[c].length > 0) {
                    yaml.append("        ports: [").append(String.join(", ", ports[c])).append("]\n");
                }
            }
            int next = (i + 1) % services;
            if (next % 5 != 4) {
                yaml.append("        environment:\n          NEXT: ${s").append(next).append(".endpoint}\n");
            }
        }
        Path file = dir.resolve("generated-" + services).resolve("i2kit.yml");
        Fixtures.write(file, yaml.toString());
        return file;
    }
}
