package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.LayerNorm;
import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.Module;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * The CogVideoX expert transformer ({@code CogVideoXTransformer3DModel}) as its layers, and as a TensorFlow graph:
 * timestep embedding, patch embedding of latents and text, the expert blocks, the adaptive output norm, and
 * unpatchify back to the latent layout. Output is the v-prediction, shaped like the latents. The layers are
 * derived from the config alone, so they also list the model's weights ({@link TransformerParameters}).
 *
 * @param ofsEmbedding null unless the config has an ofs embedding (image-to-video 1.5; declared, never built)
 */
record CogVideoXTransformer(TransformerConfig config, PatchEmbedding patchEmbed, TimestepEmbedding timeEmbedding,
                            TimestepEmbedding ofsEmbedding, List<ExpertBlock> blocks, LayerNorm normFinal,
                            AdaLayerNorm normOut, Linear projOut) implements Module {

    static CogVideoXTransformer of(TransformerConfig c) {
        int d = c.innerDim();
        TimestepEmbedding ofs = c.ofsEmbedDim() != null && c.ofsEmbedDim() > 0
                ? new TimestepEmbedding("ofs_embedding", c.ofsEmbedDim(), c.ofsEmbedDim()) : null;
        List<ExpertBlock> blocks = new ArrayList<>();
        for (int i = 0; i < c.numLayers(); i++) {
            blocks.add(new ExpertBlock(blockScope(i), c));
        }
        return new CogVideoXTransformer(c, PatchEmbedding.of(c), new TimestepEmbedding("time_embedding", d,
                c.timeEmbedDim()), ofs, List.copyOf(blocks),
                new LayerNorm("norm_final", d, c.normElementwiseAffine(), c.normEps()),
                new AdaLayerNorm("norm_out", c), new Linear("proj_out", d, c.patchVectorOut(), true));
    }

    /** Block {@code i}'s checkpoint prefix, also its graph scope. */
    private static String blockScope(int i) {
        return "transformer_blocks." + i;
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<Module> parts = new ArrayList<>(List.of(patchEmbed, timeEmbedding));
        parts.add(ofsEmbedding);
        parts.addAll(blocks);
        parts.addAll(List.of(normFinal, normOut, projOut));
        return Module.parametersOf(parts);
    }

    Operand<TFloat32> forward(Ops tf, ModelVariables w, AttentionBudget budget, TransformerInputs in) {
        config.requireTextToVideo();
        long[] s = in.latents().shape().asArray();
        if (s.length != 5) {
            throw new IllegalArgumentException("latents must be [B, F, C, H, W], got rank " + s.length);
        }
        LatentGrid grid = LatentGrid.of(config, (int) s[1], (int) s[3], (int) s[4]);
        if (s[2] != config.inChannels()) {
            throw new IllegalArgumentException("latents have " + s[2] + " channels, the model expects "
                    + config.inChannels());
        }
        long textLen = in.text().shape().size(1);

        Ops te = tf.withSubScope("time_embedding");
        Operand<TFloat32> siluTemb = Layers.silu(tf, timeEmbedding.apply(te, w, timestepSinusoid(te, in)));

        Ops pe = tf.withSubScope("patch_embed");
        Operand<TFloat32> text = patchEmbed.text().apply(pe, w, in.text());
        Operand<TFloat32> video = patchEmbed.video().apply(pe, w, patchify(pe, in.latents(), grid));
        if (in.positions() instanceof PositionInput.SinCos sinCos) {
            video = pe.math.add(video, sinCos.table());
        }
        PositionInput.Rotary rotary = in.positions() instanceof PositionInput.Rotary r
                ? r.withTextRows(tf, textLen) : null;

        JointStreams x = new JointStreams(text, video);
        for (int i = 0; i < blocks.size(); i++) {
            x = blocks.get(i).apply(tf.withSubScope(blockScope(i)), w, budget, x, siluTemb, rotary);
        }

        Ops head = tf.withSubScope("output");
        video = normOut.apply(head, w, normFinal.apply(head, w, x.video()), siluTemb);
        return unpatchify(head, projOut.apply(head, w, video), grid);
    }

    /** Sinusoid of the integer timestep (cos first with flip_sin_to_cos), the time embedding's input. */
    private Operand<TFloat32> timestepSinusoid(Ops tf, TransformerInputs in) {
        int half = config.innerDim() / 2;
        float[] freqs = new float[half];
        float logPeriod = (float) -Math.log(10000.0);
        for (int k = 0; k < half; k++) {
            // float32 arithmetic in the reference's order, so the angles match bit for bit where possible
            float exponent = logPeriod * k / (float) (half - config.freqShift());
            freqs[k] = (float) Math.exp(exponent);
        }
        Operand<TFloat32> t = tf.reshape(tf.dtypes.cast(in.timesteps(), TFloat32.class),
                tf.constant(new long[]{-1, 1}));
        Operand<TFloat32> angles = tf.math.mul(t, tf.constant(new float[][]{freqs}));
        Operand<TFloat32> sin = tf.math.sin(angles);
        Operand<TFloat32> cos = tf.math.cos(angles);
        return tf.concat(config.flipSinToCos() ? List.of(cos, sin) : List.of(sin, cos), tf.constant(1));
    }

    /** [B, F, C, H, W] → [B, V, C·p_t·p·p], patch vectors in (c, t, py, px) order, tokens in (t, y, x) order. */
    private Operand<TFloat32> patchify(Ops tf, Operand<TFloat32> latents, LatentGrid g) {
        int p = config.patchSize();
        int pt = config.temporalPatch();
        int c = config.inChannels();
        Operand<TFloat32> x = tf.reshape(latents, tf.constant(new long[]{-1, pt, c, g.rows(), p,
                g.cols(), p}));
        x = tf.linalg.transpose(x, tf.constant(new int[]{0, 3, 5, 2, 1, 4, 6}));
        return tf.reshape(x, tf.constant(new long[]{-1, g.tokens(), config.patchVectorIn()}));
    }

    /** Inverse of {@link #patchify} for the output channels. */
    private Operand<TFloat32> unpatchify(Ops tf, Operand<TFloat32> tokens, LatentGrid g) {
        int p = config.patchSize();
        int pt = config.temporalPatch();
        int c = config.outChannels();
        Operand<TFloat32> x = tf.reshape(tokens, tf.constant(new long[]{-1, g.rows(), g.cols(), c,
                pt, p, p}));
        x = tf.linalg.transpose(x, tf.constant(new int[]{0, 4, 3, 1, 5, 2, 6}));
        return tf.reshape(x, tf.constant(new long[]{-1, (long) g.frames() * pt, c, (long) g.rows() * p,
                (long) g.cols() * p}));
    }
}
