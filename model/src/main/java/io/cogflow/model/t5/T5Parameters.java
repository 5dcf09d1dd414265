package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Embedding;
import io.cogflow.model.tf.Module;

import java.util.List;

/**
 * Every weight of transformers' {@code T5EncoderModel} for a config, with checkpoint names and shapes: read off
 * the layers the graph is built from ({@link T5Encoder}).
 */
public final class T5Parameters {
    /** The token embedding; transformers ties {@code encoder.embed_tokens.weight} to it. */
    public static final String EMBEDDING = Embedding.weightName(T5Encoder.SHARED);
    /** The tied second name of the embedding that some exports store as well as (or instead of) the first. */
    public static final String EMBEDDING_ALIAS = Embedding.weightName(T5Encoder.EMBED_TOKENS);
    /** The relative-position bias table [buckets, heads]; only block 0 has one, all blocks use it. */
    public static final String RELATIVE_BIAS = Embedding.weightName(
            T5SelfAttention.relativeBiasPrefix(T5Block.attentionPrefix(0)));
    public static final String FINAL_NORM = RmsNorm.weightName(T5Encoder.FINAL_LAYER_NORM);

    private T5Parameters() {
    }

    public static List<ParameterSpec> specs(T5Config c) {
        return T5Encoder.of(c).parameters();
    }

    /** Number of weights, from the config alone (the tied embedding counted once). */
    public static long count(T5Config c) {
        return Module.count(specs(c));
    }
}
