package io.cogflow.training;

import io.cogflow.model.sampling.ForwardDiffusion;
import io.cogflow.model.sampling.NoiseSchedule;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.DenoiseSignature;
import io.cogflow.model.transformer.TransformerConfig;
import io.cogflow.model.transformer.TransformerParameters;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

import java.util.Arrays;

/**
 * One training step of the CogVideoX transformer: Java noises the batch ({@link ForwardDiffusion}), the graph
 * runs the transformer, the v-MSE ({@link VideoDiffusionLoss}) and an {@link AdamW} update in one session run.
 *
 * <p>The graph is built for one fixed training shape (batch B, frames F, H, W, text length L), like a training
 * job with a fixed latent size; weights start from {@link AdaLnZeroInit}. The text input is the
 * frozen text encoder's output, so callers can compute it once per caption.
 */
public final class TransformerTrainer extends Trainer {
    private final DenoiseSignature model;
    private final Placeholder<TFloat32> target;
    private final VideoDiffusionLoss loss;
    private final ForwardDiffusion diffusion;
    private final long[] latentShape;
    private final long[] textShape;
    private double lastGlobalNorm = Double.NaN;
    private double lastClippedNorm = Double.NaN;

    private TransformerTrainer(TrainingSession run, DenoiseSignature model, Placeholder<TFloat32> target,
                               VideoDiffusionLoss loss, ForwardDiffusion diffusion, long[] latentShape,
                               long[] textShape) {
        super(run);
        this.model = model;
        this.target = target;
        this.loss = loss;
        this.diffusion = diffusion;
        this.latentShape = latentShape;
        this.textShape = textShape;
    }

    /** The 2B schedule (SNR shift 3) and weight decay 1e-4. */
    public static TransformerTrainer create(TransformerConfig config, int batch, int frames, int height, int width,
                                            int textLen, long seed) {
        return create(config, batch, frames, height, width, textLen, seed,
                NoiseSchedule.of(SchedulerConfig.cogVideoX(SamplerKind.DDIM, 3.0)), AdamW.Hyper.cogVideoX(1e-4),
                SessionOptions.defaults(), 0);
    }

    /**
     * With {@code averageDecay} > 0 the trainer keeps an exponential moving average of the weights
     * ({@link WeightAverage}) and {@link #writeWeights} writes it; 0 writes the raw weights.
     */
    public static TransformerTrainer create(TransformerConfig config, int batch, int frames, int height, int width,
                                            int textLen, long seed, NoiseSchedule schedule, AdamW.Hyper hyper,
                                            SessionOptions options, double averageDecay) {
        Graph graph = new Graph();
        Ops tf = Ops.create(graph);
        ModelVariables weights;
        DenoiseSignature model;
        long[] latentShape = {batch, frames, config.inChannels(), height, width};
        Placeholder<TFloat32> target;
        VideoDiffusionLoss loss;
        try {
            weights = new ModelVariables(tf, TransformerParameters.specs(config));
            model = DenoiseSignature.build(tf, config, weights, AttentionBudget.DEFAULT, frames, height, width, textLen);
            target = tf.withName("target_v").placeholder(TFloat32.class, Placeholder.shape(Shape.of(latentShape)));
            loss = VideoDiffusionLoss.build(tf, model.v(), target);
        } catch (RuntimeException e) {
            graph.close();
            throw e;
        }
        TrainingSession run = TrainingSession.open(graph, tf, weights, loss.mean(), hyper, options,
                AdaLnZeroInit.of(seed), averageDecay);
        return new TransformerTrainer(run, model, target, loss, new ForwardDiffusion(schedule), latentShape,
                new long[]{batch, textLen, config.textEmbedDim()});
    }

    /**
     * Noises {@code x0Latents} [B, F, C, H, W] with {@code eps} at each sample's timestep, runs the loss and one
     * AdamW update at learning rate {@code lr}, and returns the loss measured before the update.
     */
    public double step(float[] x0Latents, float[] text, long[] timesteps, float[] eps, double lr) {
        int batch = (int) latentShape[0];
        int perSample = Math.toIntExact(Shape.of(latentShape).size() / batch);
        if (x0Latents.length != batch * perSample || eps.length != x0Latents.length || timesteps.length != batch
                || text.length != Shape.of(textShape).size()) {
            throw new IllegalArgumentException("batch does not fit the training shape "
                    + Arrays.toString(latentShape) + " / text " + Arrays.toString(textShape));
        }
        float[] xt = new float[x0Latents.length];
        float[] v = new float[x0Latents.length];
        // each sample has its own timestep, so noise sample by sample
        for (int b = 0; b < batch; b++) {
            int from = b * perSample;
            int to = from + perSample;
            float[] x0b = Arrays.copyOfRange(x0Latents, from, to);
            float[] epsb = Arrays.copyOfRange(eps, from, to);
            float[] out = new float[perSample];
            diffusion.noise(x0b, epsb, timesteps[b], out);
            System.arraycopy(out, 0, xt, from, perSample);
            diffusion.velocity(x0b, epsb, timesteps[b], out);
            System.arraycopy(out, 0, v, from, perSample);
        }
        try (TFloat32 xtT = TfTensors.floats(latentShape, xt);
             TFloat32 vT = TfTensors.floats(latentShape, v);
             TFloat32 textT = TfTensors.floats(textShape, text);
             TInt64 tT = TfTensors.longs(timesteps);
             Result r = run().step(lr, runner -> runner
                     .feed(model.latents(), xtT).feed(model.text(), textT).feed(model.timesteps(), tT)
                     .feed(target, vT)
                     .fetch(loss.mean()).fetch(run().optimizer().globalNorm())
                     .fetch(run().optimizer().clippedNorm()))) {
            lastGlobalNorm = ((TFloat32) r.get(1)).getFloat();
            lastClippedNorm = ((TFloat32) r.get(2)).getFloat();
            return ((TFloat32) r.get(0)).getFloat();
        }
    }

    /** Global gradient norm of the last step, before clipping. */
    public double lastGlobalNorm() {
        return lastGlobalNorm;
    }

    /** Global norm of the gradients the last step actually applied. */
    public double lastClippedNorm() {
        return lastClippedNorm;
    }

}
