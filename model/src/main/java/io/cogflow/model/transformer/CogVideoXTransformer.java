package io.cogflow.model.transformer;

import io.cogflow.model.tf.Layers;
import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

/**
 * The CogVideoX expert transformer ({@code CogVideoXTransformer3DModel}) as a TensorFlow graph: timestep
 * embedding, patch embedding of latents and text, the expert blocks, the adaptive output norm, and unpatchify
 * back to the latent layout. Output is the v-prediction, shaped like the latents.
 */
public final class CogVideoXTransformer {
    private final TransformerConfig config;
    private final ModelVariables w;
    private final ExpertBlock block;

    public CogVideoXTransformer(TransformerConfig config, ModelVariables weights, AttentionBudget budget) {
        config.requireTextToVideo();
        this.config = config;
        this.w = weights;
        this.block = new ExpertBlock(config, weights, budget);
    }

    public Operand<TFloat32> forward(Ops tf, TransformerInputs in) {
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

        Operand<TFloat32> siluTemb = Layers.silu(tf, timeEmbedding(tf.withSubScope("time_embedding"), in));

        Ops pe = tf.withSubScope("patch_embed");
        Operand<TFloat32> text = Layers.linear(pe, in.text(), w.get("patch_embed.text_proj.weight"),
                w.get("patch_embed.text_proj.bias"));
        Operand<TFloat32> video = Layers.linear(pe, patchify(pe, in.latents(), grid),
                w.get("patch_embed.proj.weight"),
                w.has("patch_embed.proj.bias") ? w.get("patch_embed.proj.bias") : null);
        if (in.sinCos() != null) {
            video = pe.math.add(video, in.sinCos());
        }

        @SuppressWarnings("unchecked")
        Operand<TFloat32>[] rotary = in.ropeCos() == null ? null
                : new Operand[]{withTextRows(tf, in.ropeCos(), textLen, 1f), withTextRows(tf, in.ropeSin(), textLen, 0f)};

        for (int i = 0; i < config.numLayers(); i++) {
            List<Operand<TFloat32>> out = block.apply(tf.withSubScope("transformer_blocks." + i), i, text, video,
                    siluTemb, rotary);
            text = out.get(0);
            video = out.get(1);
        }

        Ops head = tf.withSubScope("output");
        video = Layers.layerNorm(head, video, affine("norm_final.weight"), affine("norm_final.bias"),
                config.normEps());
        Operand<TFloat32> m = Layers.linear(head, siluTemb, w.get("norm_out.linear.weight"),
                w.get("norm_out.linear.bias"));
        m = head.reshape(m, head.constant(new long[]{-1, 1, 2L * config.innerDim()}));
        List<Operand<TFloat32>> shiftScale = Layers.chunk(head, m, 2, 2);
        video = Layers.modulate(head, Layers.layerNorm(head, video, affine("norm_out.norm.weight"),
                affine("norm_out.norm.bias"), config.normEps()), shiftScale.get(0), shiftScale.get(1));
        video = Layers.linear(head, video, w.get("proj_out.weight"), w.get("proj_out.bias"));
        return unpatchify(head, video, grid);
    }

    private Operand<TFloat32> affine(String name) {
        return config.normElementwiseAffine() ? w.get(name) : null;
    }

    /** Sinusoid of the integer timestep (cos first with flip_sin_to_cos), then Linear → SiLU → Linear. */
    private Operand<TFloat32> timeEmbedding(Ops tf, TransformerInputs in) {
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
        Operand<TFloat32> e = tf.concat(config.flipSinToCos() ? List.of(cos, sin) : List.of(sin, cos),
                tf.constant(1));
        Operand<TFloat32> h = Layers.linear(tf, e, w.get("time_embedding.linear_1.weight"),
                w.get("time_embedding.linear_1.bias"));
        return Layers.linear(tf, Layers.silu(tf, h), w.get("time_embedding.linear_2.weight"),
                w.get("time_embedding.linear_2.bias"));
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

    /** Prepends {@code textLen} rows of {@code value} so the rotation leaves text tokens unchanged. */
    private static Operand<TFloat32> withTextRows(Ops tf, Operand<TFloat32> table, long textLen, float value) {
        long hd = table.shape().size(1);
        Operand<TFloat32> rows = tf.fill(tf.constant(new long[]{textLen, hd}), tf.constant(value));
        return tf.concat(List.of(rows, table), tf.constant(0));
    }
}
