package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;

import java.util.ArrayList;
import java.util.List;

import static io.cogflow.model.checkpoint.ParameterSpec.linearWeight;
import static io.cogflow.model.checkpoint.ParameterSpec.vector;

/** Every weight of {@code CogVideoXTransformer3DModel} for a config, with diffusers checkpoint names and shapes. */
public final class TransformerParameters {
    private TransformerParameters() {
    }

    public static List<ParameterSpec> specs(TransformerConfig c) {
        int d = c.innerDim();
        int te = c.timeEmbedDim();
        List<ParameterSpec> s = new ArrayList<>();
        if (c.patchSizeT() == null) {
            s.add(new ParameterSpec("patch_embed.proj.weight",
                    new long[]{d, c.inChannels(), c.patchSize(), c.patchSize()}, TorchLayout.PATCH_CONV_AS_LINEAR));
            if (c.patchBias()) {
                s.add(vector("patch_embed.proj.bias", d));
            }
        } else {
            // the 1.5 patch embedding is an nn.Linear, which always has a bias (patch_bias only affects Conv2d)
            linear(s, "patch_embed.proj", c.patchVectorIn(), d);
        }
        linear(s, "patch_embed.text_proj", c.textEmbedDim(), d);
        if (c.useLearnedPositionalEmbeddings()) {
            long patches = (long) (c.sampleHeight() / c.patchSize()) * (c.sampleWidth() / c.patchSize())
                    * ((c.sampleFrames() - 1) / c.temporalCompressionRatio() + 1);
            s.add(new ParameterSpec("patch_embed.pos_embedding",
                    new long[]{1, c.maxTextSeqLength() + patches, d}, TorchLayout.AS_IS));
        }
        linear(s, "time_embedding.linear_1", d, te);
        linear(s, "time_embedding.linear_2", te, te);
        if (c.ofsEmbedDim() != null && c.ofsEmbedDim() > 0) {
            linear(s, "ofs_embedding.linear_1", c.ofsEmbedDim(), c.ofsEmbedDim());
            linear(s, "ofs_embedding.linear_2", c.ofsEmbedDim(), c.ofsEmbedDim());
        }
        for (int i = 0; i < c.numLayers(); i++) {
            String b = "transformer_blocks." + i + ".";
            linear(s, b + "norm1.linear", te, 6 * d);
            layerNorm(s, b + "norm1.norm", d, c.normElementwiseAffine());
            linear(s, b + "attn1.to_q", d, d, c.attentionBias());
            linear(s, b + "attn1.to_k", d, d, c.attentionBias());
            linear(s, b + "attn1.to_v", d, d, c.attentionBias());
            // qk norm is created with elementwise_affine=True regardless of the config flag
            layerNorm(s, b + "attn1.norm_q", c.attentionHeadDim(), true);
            layerNorm(s, b + "attn1.norm_k", c.attentionHeadDim(), true);
            linear(s, b + "attn1.to_out.0", d, d);
            linear(s, b + "norm2.linear", te, 6 * d);
            layerNorm(s, b + "norm2.norm", d, c.normElementwiseAffine());
            linear(s, b + "ff.net.0.proj", d, 4 * d);
            linear(s, b + "ff.net.2", 4 * d, d);
        }
        layerNorm(s, "norm_final", d, c.normElementwiseAffine());
        linear(s, "norm_out.linear", te, 2 * d);
        layerNorm(s, "norm_out.norm", d, c.normElementwiseAffine());
        linear(s, "proj_out", d, c.patchVectorOut());
        return List.copyOf(s);
    }

    /** Number of weights, from the config alone. */
    public static long count(TransformerConfig c) {
        return specs(c).stream().mapToLong(ParameterSpec::elementCount).sum();
    }

    private static void linear(List<ParameterSpec> s, String name, long in, long out) {
        linear(s, name, in, out, true);
    }

    private static void linear(List<ParameterSpec> s, String name, long in, long out, boolean bias) {
        s.add(linearWeight(name + ".weight", out, in));
        if (bias) {
            s.add(vector(name + ".bias", out));
        }
    }

    private static void layerNorm(List<ParameterSpec> s, String name, long dim, boolean affine) {
        if (affine) {
            s.add(vector(name + ".weight", dim));
            s.add(vector(name + ".bias", dim));
        }
    }
}
