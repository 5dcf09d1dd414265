package io.cogflow.training.evaluation;

import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.sampling.ForwardDiffusion;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipRenderer;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.training.data.Colour;
import io.cogflow.training.data.Motion;
import io.cogflow.training.data.ObjectSizes;
import io.cogflow.training.data.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * Which caption the model finds most likely for a real clip — the model used as a classifier ("diffusion
 * classifier", Li et al. 2023): render the held-out clips, encode them with the model's VAE, noise each at a few
 * timesteps, and score its own caption and every caption that differs from it in one attribute (colour, shape or
 * motion) by the transformer's v-prediction error on the same noise. The caption with the lowest summed error is the
 * model's reading of that attribute.
 *
 * <p>Why: text-to-video mixes two failures — a model that has not learnt what a word means, and one that knows it but
 * loses it while sampling. This involves no sampler, so it separates them: an attribute read here but not in the
 * generated videos is lost in sampling; one not read here is not learnt. Per-timestep readings say at which noise
 * levels the word changes the prediction.
 */
public final class CaptionRanking {

    /** The captioned attributes a reading is made of. */
    public enum Attribute {
        COLOUR, SHAPE, MOTION;

        /** The values a caption can give this attribute, in ordinal order (the confusion matrices' order). */
        public List<? extends Enum<?>> choices() {
            return switch (this) {
                case COLOUR -> List.of(Colour.values());
                case SHAPE -> List.of(Shape.values());
                case MOTION -> List.of(Motion.values());
            };
        }

        /** {@code clip}'s value of this attribute. */
        public Enum<?> of(ClipSpec clip) {
            return switch (this) {
                case COLOUR -> clip.colour();
                case SHAPE -> clip.shape();
                case MOTION -> clip.motion();
            };
        }
    }

    /**
     * The clips and how they are scored.
     *
     * @param timesteps the noise levels each caption is scored at, in [0, the schedule's train timesteps)
     * @param draws     noise draws per timestep; every caption of a clip sees the same draws
     * @param batch     rows per transformer call
     */
    public record Settings(ObjectSizes objects, int perCombination, long seed, long[] timesteps, int draws,
                           int batch) {
        public Settings {
            java.util.Objects.requireNonNull(objects, "objects");
            if (perCombination < 1 || draws < 1 || batch < 1) {
                throw new IllegalArgumentException("per-combination count, draws and batch must be positive");
            }
            if (timesteps.length == 0) {
                throw new IllegalArgumentException("no timestep to score at");
            }
            timesteps = timesteps.clone();
        }

        @Override
        public long[] timesteps() {
            return timesteps.clone();
        }
    }

    /**
     * The readings of one attribute over all clips.
     *
     * @param right          clips whose own caption scored lowest among the captions that vary this attribute
     * @param rightAt        the same, scoring at one timestep only (in {@link Settings#timesteps()} order)
     * @param confusion      [clip's value][value read], by enum ordinal
     */
    public record Readings(Attribute attribute, int clips, int right, int[] rightAt, int[][] confusion) {
        public double accuracy() {
            return (double) right / clips;
        }

        public double accuracyAt(int timestep) {
            return (double) rightAt[timestep] / clips;
        }
    }

    /** The readings by attribute (no motion for a still image), and the wall time. */
    public record Report(Map<Attribute, Readings> readings, double seconds) {
    }

    private CaptionRanking() {
    }

    /**
     * @param encoder the model's own VAE with its encoder (an export holds only the decoder)
     * @param done    called with the number of clips scored after each clip
     */
    public static Report evaluate(VideoGenerator generator, CogVideoXVae encoder, Settings s, IntConsumer done) {
        long started = System.nanoTime();
        VideoSize size = generator.manifest().sizes().get(0).video();
        List<ClipSpec> clips = ClipDataset.of(s.objects()).heldOutClips(s.perCombination(), s.seed());
        // a still is a clip's first frame (the renderer needs two frames to place a motion)
        ClipRenderer renderer = new ClipRenderer(Math.max(2, size.frames()), size.height(), size.width());
        boolean still = size.frames() == 1;
        ForwardDiffusion forward = new ForwardDiffusion(generator.schedule());
        long[] timesteps = s.timesteps();
        for (long t : timesteps) {
            if (t < 0 || t >= generator.schedule().trainTimesteps()) {
                throw new IllegalArgumentException("timestep " + t + " is outside [0, "
                        + generator.schedule().trainTimesteps() + ")");
            }
        }
        Map<Attribute, Tally> tallies = new LinkedHashMap<>();
        for (Attribute a : Attribute.values()) {
            if (!(still && a == Attribute.MOTION)) { // one frame shows no motion
                tallies.put(a, new Tally(a, timesteps.length));
            }
        }
        for (int i = 0; i < clips.size(); i++) {
            ClipSpec clip = clips.get(i);
            HostTensor encoded = encoder.encode(RenderedClips.batch(renderer, List.of(clip), size.frames(),
                    size.height(), size.width())).mode();
            float[] clean = generator.transformerLatents(size, encoded);
            List<ClipSpec> candidates = candidates(clip, !still);
            double[][] error = errors(generator, size, forward, clean, candidates, timesteps, s, clip.seed());
            for (Tally tally : tallies.values()) {
                tally.add(clip, candidates, error);
            }
            done.accept(i + 1);
        }
        Map<Attribute, Readings> readings = new LinkedHashMap<>();
        tallies.forEach((a, tally) -> readings.put(a, tally.readings(clips.size())));
        return new Report(readings, (System.nanoTime() - started) / 1e9);
    }

    /**
     * The clip itself first, then every clip that differs from it in exactly one captioned attribute (the motion
     * only if {@code motions}).
     */
    static List<ClipSpec> candidates(ClipSpec clip, boolean motions) {
        List<ClipSpec> out = new ArrayList<>();
        out.add(clip);
        for (Colour c : Colour.values()) {
            if (c != clip.colour()) {
                out.add(new ClipSpec(clip.shape(), c, clip.motion(), clip.background(), clip.objects(), clip.seed()));
            }
        }
        for (Shape sh : Shape.values()) {
            if (sh != clip.shape()) {
                out.add(new ClipSpec(sh, clip.colour(), clip.motion(), clip.background(), clip.objects(), clip.seed()));
            }
        }
        for (Motion m : motions ? Motion.values() : new Motion[0]) {
            if (m != clip.motion()) {
                out.add(new ClipSpec(clip.shape(), clip.colour(), m, clip.background(), clip.objects(), clip.seed()));
            }
        }
        return out;
    }

    /** Mean squared v error, [candidate][timestep], summed over the draws. */
    private static double[][] errors(VideoGenerator generator, VideoSize size, ForwardDiffusion forward,
                                     float[] clean, List<ClipSpec> candidates, long[] timesteps, Settings s,
                                     long clipSeed) {
        ExportedModel model = generator.model();
        int len = generator.manifest().textLength();
        long[][] ids = new long[candidates.size()][];
        for (int c = 0; c < ids.length; c++) {
            ids[c] = model.tokenizer().encode(candidates.get(c).caption(), len);
        }
        float[] text = model.encodeText(ids).data();
        int textSize = text.length / ids.length;
        long[] latentShape = generator.transformerLatentShape(size);
        int per = clean.length;
        // rows: (timestep, draw, candidate); every candidate of a (timestep, draw) sees the same noised latents
        List<long[]> rows = new ArrayList<>();
        for (int t = 0; t < timesteps.length; t++) {
            for (int d = 0; d < s.draws(); d++) {
                for (int c = 0; c < candidates.size(); c++) {
                    rows.add(new long[] {t, d, c});
                }
            }
        }
        float[][][] noised = new float[timesteps.length][s.draws()][];
        float[][][] target = new float[timesteps.length][s.draws()][];
        SeededNoise noise = new SeededNoise(s.seed() ^ clipSeed);
        for (int t = 0; t < timesteps.length; t++) {
            for (int d = 0; d < s.draws(); d++) {
                float[] eps = new float[per];
                noise.fill(eps);
                noised[t][d] = new float[per];
                target[t][d] = new float[per];
                forward.noise(clean, eps, timesteps[t], noised[t][d]);
                forward.velocity(clean, eps, timesteps[t], target[t][d]);
            }
        }
        double[][] error = new double[candidates.size()][timesteps.length];
        for (int from = 0; from < rows.size(); from += s.batch()) {
            List<long[]> chunk = rows.subList(from, Math.min(rows.size(), from + s.batch()));
            int b = chunk.size();
            float[] x = new float[b * per];
            float[] e = new float[b * textSize];
            long[] ts = new long[b];
            for (int r = 0; r < b; r++) {
                long[] row = chunk.get(r);
                System.arraycopy(noised[(int) row[0]][(int) row[1]], 0, x, r * per, per);
                System.arraycopy(text, (int) row[2] * textSize, e, r * textSize, textSize);
                ts[r] = timesteps[(int) row[0]];
            }
            long[] shape = new long[latentShape.length + 1];
            shape[0] = b;
            System.arraycopy(latentShape, 0, shape, 1, latentShape.length);
            float[] v = model.denoise(new HostTensor(shape, x), ts,
                    new HostTensor(new long[] {b, len, textSize / len}, e)).data();
            for (int r = 0; r < b; r++) {
                long[] row = chunk.get(r);
                float[] want = target[(int) row[0]][(int) row[1]];
                double sum = 0;
                for (int k = 0; k < per; k++) {
                    double diff = v[r * per + k] - want[k];
                    sum += diff * diff;
                }
                error[(int) row[2]][(int) row[0]] += sum / per;
            }
        }
        return error;
    }

    /** Counts of one attribute's readings as clips come in. */
    private static final class Tally {
        private final Attribute attribute;
        private final int[] rightAt;
        private final int[][] confusion;
        private int right;

        Tally(Attribute attribute, int timesteps) {
            this.attribute = attribute;
            this.rightAt = new int[timesteps];
            int values = attribute.choices().size();
            this.confusion = new int[values][values];
        }

        void add(ClipSpec clip, List<ClipSpec> candidates, double[][] error) {
            int own = value(attribute, clip);
            int best = -1;
            double bestError = Double.POSITIVE_INFINITY;
            int[] bestAt = new int[rightAt.length];
            double[] bestErrorAt = new double[rightAt.length];
            Arrays.fill(bestErrorAt, Double.POSITIVE_INFINITY);
            for (int c = 0; c < candidates.size(); c++) {
                ClipSpec candidate = candidates.get(c);
                if (c > 0 && value(attribute, candidate) == own) {
                    continue; // varies another attribute
                }
                double sum = 0;
                for (int t = 0; t < rightAt.length; t++) {
                    sum += error[c][t];
                    if (error[c][t] < bestErrorAt[t]) {
                        bestErrorAt[t] = error[c][t];
                        bestAt[t] = value(attribute, candidate);
                    }
                }
                if (sum < bestError) {
                    bestError = sum;
                    best = value(attribute, candidate);
                }
            }
            confusion[own][best]++;
            if (best == own) {
                right++;
            }
            for (int t = 0; t < rightAt.length; t++) {
                if (bestAt[t] == own) {
                    rightAt[t]++;
                }
            }
        }

        Readings readings(int clips) {
            int[][] copy = new int[confusion.length][];
            for (int i = 0; i < copy.length; i++) {
                copy[i] = confusion[i].clone();
            }
            return new Readings(attribute, clips, right, rightAt.clone(), copy);
        }

        private static int value(Attribute a, ClipSpec clip) {
            return a.of(clip).ordinal();
        }
    }
}
