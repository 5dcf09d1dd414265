package io.cogflow.training;

import io.cogflow.model.t5.T5TextEncoder;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.training.data.ClipDataset;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The frozen text encoder's output for every latent clip's caption, and for the unconditional text that replaces a
 * dropped caption. The encoder is frozen, so each distinct caption is encoded once before stage 2 rather than at
 * every step.
 *
 * @param captions     by latent clip
 * @param perCaption   floats of one encoded caption
 */
record CaptionEmbeddings(float[][] captions, float[] unconditional, int perCaption) {

    static CaptionEmbeddings encode(TrainingRecipe recipe, WorkFolder work, TransformerConfig config, int clips,
                                    SessionOptions options, PrintStream log) {
        int len = config.maxTextSeqLength();
        T5Tokenizer tokenizer = T5Tokenizer.load(work.tokenizer());
        ClipDataset dataset = recipe.dataset();
        Map<String, float[]> byCaption = new HashMap<>();
        float[][] out = new float[clips][];
        float[] unconditional;
        try (T5TextEncoder encoder = T5TextEncoder.load(work.textEncoder(), options)) {
            if (encoder.config().dModel() != config.textEmbedDim()) {
                throw new IllegalArgumentException("text encoder d_model " + encoder.config().dModel()
                        + " differs from the transformer's text_embed_dim " + config.textEmbedDim());
            }
            for (int i = 0; i < clips; i++) {
                String caption = LatentCache.clip(dataset, i).caption();
                out[i] = byCaption.computeIfAbsent(caption, c -> encoder.encode(new long[][]{tokenizer.encode(c, len)})
                        .data());
            }
            float[] empty = encoder.encode(new long[][]{tokenizer.encode("", len)}).data();
            unconditional = recipe.unconditionalText() == TrainingRecipe.UnconditionalText.ZEROS
                    ? new float[empty.length] : empty;
        }
        log.printf(Locale.ROOT, "text: %d distinct captions encoded by the frozen text encoder%n", byCaption.size());
        return new CaptionEmbeddings(out, unconditional, unconditional.length);
    }
}
