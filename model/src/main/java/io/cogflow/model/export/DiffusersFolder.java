package io.cogflow.model.export;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A CogVideoX model as the hubs lay it out: {@code transformer/}, {@code vae/}, {@code scheduler/} and,
 * optionally, {@code text_encoder/} with {@code tokenizer/} — each with its own config. Checks presence up front
 * so a wrong folder fails with one message naming what is missing.
 */
record DiffusersFolder(Path root, Path transformer, Path vae, Path schedulerConfig, Path textEncoder,
                       Path tokenizerModel) {

    static DiffusersFolder locate(Path root) {
        if (!Files.isDirectory(root)) {
            throw new IllegalArgumentException("model folder not found: " + root);
        }
        Path transformer = require(root, "transformer", "config.json");
        Path vae = require(root, "vae", "config.json");
        Path scheduler = root.resolve("scheduler").resolve("scheduler_config.json");
        if (!Files.isRegularFile(scheduler)) {
            throw new IllegalArgumentException(root + ": no scheduler/scheduler_config.json (a diffusers model "
                    + "folder has transformer/, vae/, scheduler/, text_encoder/ and tokenizer/)");
        }
        Path textEncoder = root.resolve("text_encoder");
        Path tokenizer = root.resolve("tokenizer").resolve("spiece.model");
        boolean hasEncoder = Files.isRegularFile(textEncoder.resolve("config.json"));
        boolean hasTokenizer = Files.isRegularFile(tokenizer);
        if (hasEncoder != hasTokenizer) {
            throw new IllegalArgumentException(root + ": " + (hasEncoder ? "text_encoder/ has no tokenizer/spiece.model"
                    : "tokenizer/spiece.model has no text_encoder/") + "; prompts need both (or neither, for "
                    + "models driven by precomputed text embeddings)");
        }
        return new DiffusersFolder(root, transformer, vae, scheduler, hasEncoder ? textEncoder : null,
                hasTokenizer ? tokenizer : null);
    }

    private static Path require(Path root, String component, String file) {
        Path dir = root.resolve(component);
        if (!Files.isRegularFile(dir.resolve(file))) {
            throw new IllegalArgumentException(root + ": no " + component + "/" + file + " (a diffusers model folder "
                    + "has transformer/, vae/, scheduler/, text_encoder/ and tokenizer/)");
        }
        return dir;
    }
}
