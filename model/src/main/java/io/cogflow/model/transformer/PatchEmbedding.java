package io.cogflow.model.transformer;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;
import io.cogflow.model.tf.Linear;
import io.cogflow.model.tf.Module;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code CogVideoXPatchEmbed}'s weights: the video patch projection (a patch-sized Conv2d before 1.5, an
 * {@code nn.Linear} on flattened patches from 1.5 on), the text projection, and the learned position table of
 * the image-to-video families (declared so their checkpoints load; text-to-video never reads it).
 *
 * @param positions null unless the config learns positional embeddings
 */
record PatchEmbedding(Linear video, Linear text, ParameterSpec positions) implements Module {

    static PatchEmbedding of(TransformerConfig c) {
        String p = "patch_embed";
        int d = c.innerDim();
        // the 1.5 patch embedding is an nn.Linear, which always has a bias (patch_bias only affects Conv2d)
        Linear video = c.patchSizeT() == null
                ? Linear.patchConv(p + ".proj", c.inChannels(), c.patchSize(), d, c.patchBias())
                : new Linear(p + ".proj", c.patchVectorIn(), d, true);
        ParameterSpec positions = null;
        if (c.useLearnedPositionalEmbeddings()) {
            long patches = (long) (c.sampleHeight() / c.patchSize()) * (c.sampleWidth() / c.patchSize())
                    * ((c.sampleFrames() - 1) / c.temporalCompressionRatio() + 1);
            positions = new ParameterSpec(p + ".pos_embedding", new long[]{1, c.maxTextSeqLength() + patches, d},
                    TorchLayout.AS_IS);
        }
        return new PatchEmbedding(video, new Linear(p + ".text_proj", c.textEmbedDim(), d, true), positions);
    }

    @Override
    public List<ParameterSpec> parameters() {
        List<ParameterSpec> s = new ArrayList<>(Module.parametersOf(video, text));
        if (positions != null) {
            s.add(positions);
        }
        return List.copyOf(s);
    }
}
