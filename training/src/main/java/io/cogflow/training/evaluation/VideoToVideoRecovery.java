package io.cogflow.training.evaluation;

import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.DiffusionSampler;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipJudge;
import io.cogflow.training.data.ClipRenderer;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.training.data.ObjectSizes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * At which noise level a model stops recovering what a clip shows: render the held-out clips, encode them with the
 * model's VAE, noise them to a strength's timestep and denoise them with their own caption (video-to-video,
 * {@link VideoGenerator#prepareFromVideos}), then let {@link ClipJudge} read the result. Strength 1 is
 * text-to-video; a strength at which the judge still reads the shape but not at the next one says where in the
 * schedule the transformer loses it, which text-to-video alone cannot tell (it only shows the end result).
 */
public final class VideoToVideoRecovery {

    /** The clips and how they are denoised; {@code strengths} in (0, 1], each evaluated on every clip. */
    public record Settings(ObjectSizes objects, int perCombination, long seed, int steps, double guidance, int batch,
                           double[] strengths) {
        public Settings {
            java.util.Objects.requireNonNull(objects, "objects");
            if (perCombination < 1 || batch < 1) {
                throw new IllegalArgumentException("per-combination count and batch must be positive");
            }
            if (strengths.length == 0) {
                throw new IllegalArgumentException("no strength to evaluate");
            }
            strengths = strengths.clone();
            for (double strength : strengths) {
                DiffusionSampler.firstStep(steps, strength); // refuses a strength that walks no step of the grid
            }
        }

        @Override
        public double[] strengths() {
            return strengths.clone();
        }
    }

    /** The judge's readings at one strength: {@code timestep} is where the samplers joined the step grid. */
    public record AtStrength(double strength, long timestep, int stepsWalked, PromptAdherence.Report report) {
    }

    private VideoToVideoRecovery() {
    }

    /**
     * @param encoder the VAE whose encoder turns rendered clips into latents: the model's own (its decoder is in the
     *                export), e.g. the {@code vae/} of the model folder the export was made from
     * @param done    called with the number of videos finished (over all strengths) after each batch
     */
    public static List<AtStrength> evaluate(VideoGenerator generator, CogVideoXVae encoder, Settings s,
                                            IntConsumer done) {
        VideoSize size = generator.manifest().sizes().get(0).video();
        List<ClipSpec> clips = ClipDataset.of(s.objects()).heldOutClips(s.perCombination(), s.seed());
        ClipRenderer renderer = new ClipRenderer(size.frames(), size.height(), size.width());
        ClipJudge judge = new ClipJudge(size.frames(), size.height(), size.width());
        double[] strengths = s.strengths();
        List<List<PromptAdherence.Case>> cases = new ArrayList<>();
        double[] seconds = new double[strengths.length];
        for (double ignored : strengths) {
            cases.add(new ArrayList<>(clips.size()));
        }
        int finished = 0;
        for (int from = 0; from < clips.size(); from += s.batch()) {
            List<ClipSpec> chunk = clips.subList(from, Math.min(clips.size(), from + s.batch()));
            List<HostTensor> latents = perClip(encoder.encode(
                    RenderedClips.batch(renderer, chunk, size.frames(), size.height(), size.width())).mode());
            List<GenerationInput> requests = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                ClipSpec c = chunk.get(i);
                requests.add(new GenerationInput("v2v-" + (from + i), c.caption(), "", size, s.steps(), s.guidance(),
                        false, c.seed() & Long.MAX_VALUE, null));
            }
            for (int k = 0; k < strengths.length; k++) {
                long started = System.nanoTime();
                List<GeneratedVideo> videos = generator.generateFromVideos(requests, latents, strengths[k],
                        ProgressListener.NONE);
                seconds[k] += (System.nanoTime() - started) / 1e9;
                for (int i = 0; i < chunk.size(); i++) {
                    var frames = videos.get(i).frames();
                    cases.get(k).add(new PromptAdherence.Case(chunk.get(i), judge.judge(frames.rgb()), frames));
                }
                finished += chunk.size();
                done.accept(finished);
            }
        }
        List<AtStrength> out = new ArrayList<>();
        for (int k = 0; k < strengths.length; k++) {
            int first = DiffusionSampler.firstStep(s.steps(), strengths[k]);
            long timestep = generator.schedule().timesteps(s.steps())[first];
            out.add(new AtStrength(strengths[k], timestep, s.steps() - first,
                    new PromptAdherence.Report(cases.get(k), seconds[k])));
        }
        return out;
    }

    /** The encoder's (B, C, F, h, w) batch as B tensors of (1, C, F, h, w). */
    private static List<HostTensor> perClip(HostTensor batch) {
        long[] shape = batch.shape();
        int n = (int) shape[0];
        int per = batch.data().length / n;
        long[] one = shape.clone();
        one[0] = 1;
        List<HostTensor> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new HostTensor(one, Arrays.copyOfRange(batch.data(), i * per, (i + 1) * per)));
        }
        return out;
    }
}
