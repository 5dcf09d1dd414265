package io.cogflow.training;

import io.cogflow.model.tf.Conv3dGradient;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.RandomWeights;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.vae.AutoencoderGraph;
import io.cogflow.model.vae.VaeConfig;
import io.cogflow.model.vae.VaeParameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;


/**
 * Stage 1: trains the 3D causal VAE as a β-VAE on clips. Loss = mean squared reconstruction error over pixels +
 * β · mean KL(q(z|x) ‖ N(0, I)) over latent elements, with z sampled by the reparameterisation trick.
 *
 * <p>Both terms are means rather than the sums of the ELBO, so β is a ratio of per-element quantities; a small β
 * (1e-3 here) only keeps the latents near unit scale and smooth, which is what the diffusion stage needs, without
 * blurring the reconstruction.
 *
 * <p>An optional <b>edge term</b> (weight λ, {@code vae_edge_weight}) adds the mean squared error of the spatial
 * differences, x[.., i+1] − x[.., i] along width and height: a squared pixel error spends almost nothing on a
 * shape's outline — a few pixels of a 64 × 64 frame — and so a plain MSE VAE rounds corners and points off; the
 * difference error is concentrated exactly there. (The released CogVideoX VAE uses perceptual and adversarial
 * terms for the same reason; both need a second network.)
 */
public final class VaeTrainer extends Trainer {

    /** One step's loss terms, measured before the update. */
    public record Losses(double total, double reconstruction, double kl) {
    }

    private final AutoencoderGraph model;
    private final Operand<TFloat32> total;
    private final Operand<TFloat32> reconstruction;
    private final Operand<TFloat32> kl;
    private final long[] videoShape;
    private final long[] noiseShape;

    private VaeTrainer(TrainingSession run, AutoencoderGraph model, Operand<TFloat32> total,
                       Operand<TFloat32> reconstruction, Operand<TFloat32> kl, long[] videoShape) {
        super(run);
        this.model = model;
        this.total = total;
        this.reconstruction = reconstruction;
        this.kl = kl;
        this.videoShape = videoShape;
        this.noiseShape = model.noise().shape().asArray();
    }

    /** @param videoShape (B, 3, T, H, W) of every training batch */
    public static VaeTrainer create(VaeConfig config, long[] videoShape, double klWeight, double edgeWeight,
                                   long seed, AdamW.Hyper hyper, SessionOptions options) {
        Conv3dGradient.ensureRegistered();
        Graph graph = new Graph();
        Ops tf = Ops.create(graph);
        ModelVariables weights;
        AutoencoderGraph model;
        Operand<TFloat32> total;
        Operand<TFloat32> rec;
        Operand<TFloat32> kl;
        try {
            weights = new ModelVariables(tf, VaeParameters.specs(config));
            model = AutoencoderGraph.build(tf, config, weights, videoShape);
            Ops l = tf.withSubScope("loss");
            rec = l.withName("reconstruction").math.mean(
                    l.math.squaredDifference(model.reconstruction(), model.video()), l.constant(new int[]{0, 1, 2, 3, 4}));
            // KL(N(μ, σ²) ‖ N(0, 1)) = ½(μ² + σ² − 1 − log σ²) per element
            Operand<TFloat32> perElement = l.math.mul(l.constant(0.5f), l.math.sub(l.math.add(
                    l.math.square(model.mean()), l.math.exp(model.logvar())), l.math.add(l.constant(1f), model.logvar())));
            kl = l.withName("kl").math.mean(perElement, l.constant(new int[]{0, 1, 2, 3, 4}));
            Operand<TFloat32> objective = l.math.add(rec, l.math.mul(l.constant((float) klWeight), kl));
            if (edgeWeight > 0) {
                Operand<TFloat32> edges = l.math.add(
                        edgeError(l, model.reconstruction(), model.video(), videoShape, 4),
                        edgeError(l, model.reconstruction(), model.video(), videoShape, 3));
                objective = l.math.add(objective, l.math.mul(l.constant((float) edgeWeight), edges));
            }
            total = l.withName("total").identity(objective);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        TrainingSession run = TrainingSession.open(graph, tf, weights, total, hyper, options,
                RandomWeights.gaussian(seed));
        return new VaeTrainer(run, model, total, rec, kl, videoShape.clone());
    }

    /** Mean squared error between the differences of neighbouring pixels along {@code axis} (3: height, 4: width). */
    private static Operand<TFloat32> edgeError(Ops l, Operand<TFloat32> rec, Operand<TFloat32> video, long[] shape,
                                               int axis) {
        // int32 begin and size: the Slice gradient builds its padding in int32
        int[] size = java.util.Arrays.stream(shape).mapToInt(Math::toIntExact).toArray();
        size[axis] -= 1;
        int[] next = new int[5];
        next[axis] = 1;
        int[] first = new int[5];
        Operand<TFloat32> dr = l.math.sub(l.slice(rec, l.constant(next), l.constant(size)),
                l.slice(rec, l.constant(first), l.constant(size)));
        Operand<TFloat32> dv = l.math.sub(l.slice(video, l.constant(next), l.constant(size)),
                l.slice(video, l.constant(first), l.constant(size)));
        return l.math.mean(l.math.squaredDifference(dr, dv), l.constant(new int[]{0, 1, 2, 3, 4}));
    }

    /** The latent noise shape (B, C, T', h, w) {@link #step} expects. */
    public long[] noiseShape() {
        return noiseShape.clone();
    }

    /** One AdamW step on {@code video} (B, 3, T, H, W) in [−1, 1] with standard-normal {@code noise}. */
    public Losses step(float[] video, float[] noise, double lr) {
        if (video.length != Shape.of(videoShape).size() || noise.length != Shape.of(noiseShape).size()) {
            throw new IllegalArgumentException("batch does not fit the training shape");
        }
        try (TFloat32 v = TfTensors.floats(videoShape, video);
             TFloat32 n = TfTensors.floats(noiseShape, noise);
             Result r = run().step(lr, runner -> runner.feed(model.video(), v).feed(model.noise(), n)
                     .fetch(total).fetch(reconstruction).fetch(kl))) {
            return new Losses(((TFloat32) r.get(0)).getFloat(), ((TFloat32) r.get(1)).getFloat(),
                    ((TFloat32) r.get(2)).getFloat());
        }
    }
}
