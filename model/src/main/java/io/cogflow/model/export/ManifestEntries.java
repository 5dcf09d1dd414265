package io.cogflow.model.export;

import java.nio.file.Path;

/**
 * A file the manifest names ({@code files}, {@code tokenizer}) is a relative, '/'-separated path that stays inside
 * the model folder. A manifest is read before anything in it is trusted — it may come from a download or a shared
 * volume — so {@code ../x}, {@code /etc/passwd} or {@code C:\x} are refused at load, before any file is opened:
 * otherwise loading would hash, and the tokenizer would read, files outside the model.
 */
final class ManifestEntries {
    private ManifestEntries() {
    }

    /** {@code name} resolved in {@code dir}, or an error naming the entry and the rule. */
    static Path resolve(Path dir, String name) {
        if (!isInside(name)) {
            throw new IllegalArgumentException("refusing exported model " + dir + ": " + ModelManifest.FILE
                    + " lists '" + name + "', which is not a relative path inside the model folder (no '..', no "
                    + "absolute path, no '\\', no empty segment) — re-export it with cogflow export");
        }
        Path base = dir.toAbsolutePath().normalize();
        Path p = base.resolve(name).normalize();
        if (!p.startsWith(base) || p.equals(base)) { // the rule above already ensures it; kept as the invariant
            throw new IllegalArgumentException("refusing exported model " + dir + ": '" + name + "' leaves it");
        }
        return dir.resolve(name);
    }

    static boolean isInside(String name) {
        if (name == null || name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.contains(":")) {
            return false;
        }
        for (String segment : name.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.chars().anyMatch(Character::isISOControl)) {
                return false;
            }
        }
        return true;
    }
}
