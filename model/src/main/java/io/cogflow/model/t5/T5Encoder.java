package io.cogflow.model.t5;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.Embedding;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * The layers of transformers' {@code T5EncoderModel}, derived from the config alone: the token embedding, the
 * blocks and the final norm. {@link T5EncoderGraph} builds the forward pass from them and {@link T5Parameters}
 * lists their weights.
 */
record T5Encoder(Embedding shared, List<T5Block> blocks, RmsNorm finalNorm) implements Module {

    /** Module names {@link T5Parameters} derives its public tensor names from. */
    static final String SHARED = "shared";
    static final String EMBED_TOKENS = "encoder.embed_tokens";
    static final String FINAL_LAYER_NORM = "encoder.final_layer_norm";

    static T5Encoder of(T5Config c) {
        List<T5Block> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            blocks.add(T5Block.of(i, c));
        }
        return new T5Encoder(new Embedding(SHARED, c.vocabSize(), c.dModel()).orAlternatively(
                T5Parameters.EMBEDDING_ALIAS), List.copyOf(blocks),
                new RmsNorm(FINAL_LAYER_NORM, c.dModel(), c.layerNormEpsilon()));
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<Module> parts = new ArrayList<>(List.of(shared));
        parts.addAll(blocks);
        parts.add(finalNorm);
        return Module.parametersOf(parts);
    }
}
