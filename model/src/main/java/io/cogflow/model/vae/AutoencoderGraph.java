package io.cogflow.model.vae;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;


/**
 * Encode → sample → decode as one differentiable graph, for training the VAE: video (B, 3, T, H, W) in [−1, 1]
 * and standard-normal noise (B, C, T', h, w) in; the posterior's mean and clamped logvar and the reconstruction
 * (B, 3, T, H, W), unclamped, out.
 *
 * <p>Both halves run the reference's time chunks (video frames in 8s, latents in 2s, remainder first) with the
 * causal frames carried between chunks, exactly as inference does: GroupNorm statistics are per chunk, so a
 * VAE trained on whole clips would be served a slightly different network than the one it learnt.
 */
public record AutoencoderGraph(Placeholder<TFloat32> video, Placeholder<TFloat32> noise, Operand<TFloat32> mean,
                               Operand<TFloat32> logvar, Operand<TFloat32> reconstruction) {

    private static final float LOGVAR_MIN = -30f;
    private static final float LOGVAR_MAX = 20f;

    /** @param videoShape (B, in channels, T, H, W), fixed: T and H, W must suit the config's compression */
    public static AutoencoderGraph build(Ops root, VaeConfig config, ModelVariables weights, long[] videoShape) {
        Ops tf = root.withSubScope("autoencoder");
        Placeholder<TFloat32> video = tf.withName("video").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(videoShape)));
        Operand<TFloat32> all = UnrolledChunks.build(tf, video, FrameChunks.VIDEO_FRAMES, "encode_", false,
                (chunk, slice, carried) -> EncoderGraph.buildOn(chunk, config, weights, slice, carried));
        int c = config.latentChannels();
        long[] m = all.shape().asArray();
        Operand<TFloat32> mean = tf.withName("mean").slice(all, tf.constant(new int[]{0, 0, 0, 0, 0}),
                tf.constant(new int[]{-1, c, -1, -1, -1}));
        Operand<TFloat32> logvar = tf.withName("logvar").clipByValue(tf.slice(all, tf.constant(new int[]{0, c, 0, 0, 0}),
                tf.constant(new int[]{-1, c, -1, -1, -1})), tf.constant(LOGVAR_MIN), tf.constant(LOGVAR_MAX));
        Placeholder<TFloat32> noise = tf.withName("noise").placeholder(TFloat32.class,
                Placeholder.shape(Shape.of(m[0], c, m[2], m[3], m[4])));
        Operand<TFloat32> z = tf.math.add(mean, tf.math.mul(tf.math.exp(tf.math.mul(logvar, tf.constant(0.5f))), noise));

        Operand<TFloat32> reconstruction = UnrolledChunks.build(tf, z, FrameChunks.LATENT_FRAMES, "decode_", false,
                (chunk, slice, carried) -> DecoderGraph.buildOn(chunk, config, weights, slice, carried));
        long frames = reconstruction.shape().get(2);
        if (frames != videoShape[2]) {
            // e.g. 5 frames encode to 2 latent frames, which decode (one even chunk) to 8
            throw new IllegalArgumentException(videoShape[2] + " frames do not survive encode → decode (they come back as "
                    + frames + "); use 1 + 8k frames, as the reference's chunking assumes");
        }
        return new AutoencoderGraph(video, noise, mean, logvar, reconstruction);
    }
}
