package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;

import java.util.ArrayList;
import java.util.List;

import static io.cogflow.model.checkpoint.ParameterSpec.linearWeight;
import static io.cogflow.model.checkpoint.ParameterSpec.vector;

/** Every weight of transformers' {@code T5EncoderModel} for a config, with checkpoint names and shapes. */
public final class T5Parameters {
    /** The token embedding; transformers ties {@code encoder.embed_tokens.weight} to it. */
    public static final String EMBEDDING = "shared.weight";
    /** The tied second name of the embedding that some exports store as well as (or instead of) the first. */
    public static final String EMBEDDING_ALIAS = "encoder.embed_tokens.weight";
    /** The relative-position bias table [buckets, heads]; only block 0 has one, all blocks use it. */
    public static final String RELATIVE_BIAS = "encoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
    public static final String FINAL_NORM = "encoder.final_layer_norm.weight";

    private T5Parameters() {
    }

    /** Name prefix of block {@code i}'s self-attention sub-layer ({@code layer.0}). */
    static String attention(int i) {
        return "encoder.block." + i + ".layer.0.";
    }

    /** Name prefix of block {@code i}'s feed-forward sub-layer ({@code layer.1}). */
    static String feedForward(int i) {
        return "encoder.block." + i + ".layer.1.";
    }

    public static List<ParameterSpec> specs(T5Config c) {
        long d = c.dModel();
        long inner = c.innerDim();
        List<ParameterSpec> s = new ArrayList<>();
        s.add(new ParameterSpec(EMBEDDING, new long[]{c.vocabSize(), d}, TorchLayout.AS_IS)
                .orAlternatively(EMBEDDING_ALIAS));
        for (int i = 0; i < c.numLayers(); i++) {
            String a = attention(i);
            s.add(linearWeight(a + "SelfAttention.q.weight", inner, d));
            s.add(linearWeight(a + "SelfAttention.k.weight", inner, d));
            s.add(linearWeight(a + "SelfAttention.v.weight", inner, d));
            s.add(linearWeight(a + "SelfAttention.o.weight", d, inner));
            if (i == 0) {
                s.add(new ParameterSpec(RELATIVE_BIAS, new long[]{c.relativeAttentionNumBuckets(), c.numHeads()},
                        TorchLayout.AS_IS));
            }
            s.add(vector(a + "layer_norm.weight", d));
            String f = feedForward(i);
            if (c.gatedAct()) {
                s.add(linearWeight(f + "DenseReluDense.wi_0.weight", c.dFf(), d));
                s.add(linearWeight(f + "DenseReluDense.wi_1.weight", c.dFf(), d));
            } else {
                s.add(linearWeight(f + "DenseReluDense.wi.weight", c.dFf(), d));
            }
            s.add(linearWeight(f + "DenseReluDense.wo.weight", d, c.dFf()));
            s.add(vector(f + "layer_norm.weight", d));
        }
        s.add(vector(FINAL_NORM, d));
        return List.copyOf(s);
    }

    /** Number of weights, from the config alone (the tied embedding counted once). */
    public static long count(T5Config c) {
        return specs(c).stream().mapToLong(ParameterSpec::elementCount).sum();
    }
}
