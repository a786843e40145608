package io.i2kit.bootstrap;

import io.i2kit.I2kitException;
import io.i2kit.InvalidInputException;
import io.i2kit.image.TreePath;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The files a recipe copies over an image's root: a directory beside the recipe (the examples'
 * {@code src/}) or a directory of i2kit's own resources ({@code classpath:...}, the init's files),
 * read the same way from {@code target/classes} and from the packaged jar.
 */
final class OverlayFiles {
    private OverlayFiles() {
    }

    /** A file to copy into the image, owned by root. */
    record File(int mode, byte[] content) {
    }

    /** Relative path to file, in path order; the image tree creates the directories above them. */
    static Map<String, File> read(String spec, Path recipeDirectory) {
        if (spec.startsWith("classpath:")) {
            return classpath(spec.substring("classpath:".length()));
        }
        Path dir = recipeDirectory.resolve(spec).normalize();
        if (!Files.isDirectory(dir)) {
            throw new InvalidInputException("files: " + dir + " is not a directory");
        }
        return walk(dir, true);
    }

    private static Map<String, File> classpath(String dir) {
        URL url = OverlayFiles.class.getClassLoader().getResource(dir);
        if (url == null) {
            throw new IllegalStateException("i2kit is missing its resource directory " + dir);
        }
        try {
            URI uri = url.toURI();
            if (uri.getScheme().equals("jar")) {
                FileSystem fs;
                try {
                    fs = FileSystems.newFileSystem(uri, Map.of());
                } catch (FileSystemAlreadyExistsException e) {
                    fs = FileSystems.getFileSystem(uri);
                }
                return walk(fs.getPath(dir), false);
            }
            return walk(Path.of(uri), false);
        } catch (URISyntaxException | IOException e) {
            throw new I2kitException("cannot read i2kit's resource directory " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Regular files only (links in a source tree would be the host's, not the image's). Modes:
     * from the owner's executable bit on a real file system (what git keeps); from the content for resources, which have
     * none: {@code #!} or ELF means 0755. A top-level README.md of a resource directory documents
     * it and is not copied.
     */
    private static Map<String, File> walk(Path dir, boolean fileSystemModes) {
        Map<String, File> files = new TreeMap<>();
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted().toList()) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                String relative = dir.relativize(p).toString().replace('\\', '/');
                if (!fileSystemModes && relative.equals("README.md")) {
                    continue;
                }
                byte[] content = Files.readAllBytes(p);
                boolean executable = fileSystemModes
                        ? Files.getPosixFilePermissions(p).contains(java.nio.file.attribute.PosixFilePermission.OWNER_EXECUTE)
                        : startsWithShebangOrElf(content);
                files.put(TreePath.normalise(relative), new File(executable ? 0755 : 0644, content));
            }
        } catch (IOException e) {
            throw new I2kitException("cannot read the files to copy from " + dir + ": " + e.getMessage(), e);
        }
        return files;
    }

    static boolean startsWithShebangOrElf(byte[] c) {
        return (c.length >= 2 && c[0] == '#' && c[1] == '!')
                || (c.length >= 4 && c[0] == 0x7f && c[1] == 'E' && c[2] == 'L' && c[3] == 'F');
    }
}
