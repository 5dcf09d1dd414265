package io.cogflow.model.t5;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.config.ModelFolder;

import java.nio.file.Path;

/**
 * The encoder half of a transformers {@code T5Config} ({@code config.json} of {@code T5EncoderModel}, e.g. a
 * CogVideoX {@code text_encoder/}). Field names follow transformers; a missing key (or {@code null}) takes the
 * transformers default.
 *
 * <p>The feed-forward activation follows transformers: {@code feed_forward_proj} is {@code ACT} or
 * {@code gated-ACT} ({@code gated-gelu} meaning the tanh GELU {@code gelu_new}); explicit {@code dense_act_fn} /
 * {@code is_gated_act} keys, which transformers writes next to it, take precedence as they do there.
 *
 * @param dKv width of one attention head; the attention's inner width is {@code numHeads × dKv}, which need
 *            not equal {@code dModel}
 */
public record T5Config(
        int vocabSize,
        int dModel,
        int dKv,
        int dFf,
        int numLayers,
        int numHeads,
        int relativeAttentionNumBuckets,
        int relativeAttentionMaxDistance,
        double layerNormEpsilon,
        String feedForwardProj,
        String denseActFn,
        boolean gatedAct) {

    /** The feed-forward activations the graph builds, by their transformers {@code ACT2FN} names. */
    public enum Activation {
        /** {@code gelu_new} / {@code gelu_pytorch_tanh}: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
        GELU_TANH,
        /** {@code gelu}: exact, erf form. */
        GELU,
        RELU,
        /** {@code silu} / {@code swish}: x·sigmoid(x). */
        SILU;

        static Activation of(String actFn) {
            return switch (actFn) {
                case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
                case "gelu" -> GELU;
                case "relu" -> RELU;
                case "silu", "swish" -> SILU;
                default -> throw new IllegalArgumentException("T5 config: dense activation '" + actFn
                        + "' is not supported (gelu_new, gelu_pytorch_tanh, gelu, relu, silu, swish)");
            };
        }
    }

    public T5Config {
        require(vocabSize > 0, "vocab_size must be positive, got " + vocabSize);
        require(dModel > 0, "d_model must be positive, got " + dModel);
        require(dKv > 0, "d_kv must be positive, got " + dKv);
        require(dFf > 0, "d_ff must be positive, got " + dFf);
        require(numLayers >= 0, "num_layers must not be negative, got " + numLayers);
        require(numHeads > 0, "num_heads must be positive, got " + numHeads);
        // bidirectional bucketing halves the buckets, then half of those are exact offsets: at least one each
        require(relativeAttentionNumBuckets >= 4, "relative_attention_num_buckets must be at least 4, got "
                + relativeAttentionNumBuckets);
        require(relativeAttentionMaxDistance > relativeAttentionNumBuckets / 4,
                "relative_attention_max_distance (" + relativeAttentionMaxDistance
                        + ") must exceed the exact-offset range relative_attention_num_buckets/4 ("
                        + relativeAttentionNumBuckets / 4 + ")");
        require(layerNormEpsilon > 0, "layer_norm_epsilon must be positive, got " + layerNormEpsilon);
        require(denseActFn != null && feedForwardProj != null, "activation must be set");
        Activation.of(denseActFn);
        require((long) numHeads * dKv <= Integer.MAX_VALUE, "num_heads × d_kv is too large");
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("T5 config: " + message);
        }
    }

    /**
     * Reads a {@code config.json} file, or the one of a model folder: a CogVideoX root
     * ({@code text_encoder/config.json}) or a folder holding {@code config.json} itself.
     */
    public static T5Config load(Path location) {
        return from(ConfigJson.read(ModelFolder.configFile(location, "text_encoder")));
    }

    public static T5Config from(ConfigJson c) {
        String modelType = c.string("model_type", "t5");
        if (!modelType.equals("t5") && !modelType.equals("mt5")) {
            throw new IllegalArgumentException(c.source() + ": model_type '" + modelType
                    + "' is not a T5 encoder (t5, mt5)");
        }
        String proj = c.string("feed_forward_proj", "relu");
        String[] parts = proj.split("-", -1);
        if (parts.length > 2 || (parts.length == 2 && !parts[0].equals("gated")) || parts[parts.length - 1].isEmpty()) {
            throw new IllegalArgumentException(c.source() + ": 'feed_forward_proj' must be 'ACT' or 'gated-ACT', got '"
                    + proj + "'");
        }
        String derivedAct = proj.equals("gated-gelu") ? "gelu_new" : parts[parts.length - 1];
        boolean derivedGated = parts.length == 2;
        return new T5Config(
                c.integer("vocab_size", 32128),
                c.integer("d_model", 512),
                c.integer("d_kv", 64),
                c.integer("d_ff", 2048),
                c.integer("num_layers", 6),
                c.integer("num_heads", 8),
                c.integer("relative_attention_num_buckets", 32),
                c.integer("relative_attention_max_distance", 128),
                c.number("layer_norm_epsilon", 1e-6),
                proj,
                c.string("dense_act_fn", derivedAct),
                c.bool("is_gated_act", derivedGated));
    }

    /** Width of the attention's q/k/v outputs: heads × d_kv. */
    public int innerDim() {
        return numHeads * dKv;
    }

    public Activation activation() {
        return Activation.of(denseActFn);
    }
}
