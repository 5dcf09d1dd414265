package io.cogflow.training.evaluation;

import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.vae.CogVideoXVae;
import io.cogflow.model.video.VideoFrames;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipJudge;
import io.cogflow.training.data.ClipRenderer;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.training.data.ObjectSizes;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * The VAE alone on the held-out clips: render each clip, encode it (the posterior's mode, as the training latents
 * are), decode it through the inference path and let {@link ClipJudge} read it. A generated video cannot show a
 * shape or a glide its VAE loses, so this is the ceiling the transformer works under.
 */
public final class VaeRoundTrip {

    /** Which clips and how many at a time. */
    public record Settings(int frames, int height, int width, ObjectSizes objects, int perCombination, long seed,
                           int batch) {
        public Settings {
            java.util.Objects.requireNonNull(objects, "objects");
            if (perCombination < 1 || batch < 1) {
                throw new IllegalArgumentException("per-combination count and batch must be positive");
            }
        }
    }

    private VaeRoundTrip() {
    }

    /** @param done called with the number of clips finished after each batch */
    public static PromptAdherence.Report evaluate(CogVideoXVae vae, Settings s, IntConsumer done) {
        List<ClipSpec> clips = ClipDataset.of(s.objects()).heldOutClips(s.perCombination(), s.seed());
        ClipRenderer renderer = new ClipRenderer(s.frames(), s.height(), s.width());
        ClipJudge judge = new ClipJudge(s.frames(), s.height(), s.width());
        int t = s.frames(), h = s.height(), w = s.width();
        List<PromptAdherence.Case> cases = new ArrayList<>(clips.size());
        long started = System.nanoTime();
        for (int from = 0; from < clips.size(); from += s.batch()) {
            List<ClipSpec> chunk = clips.subList(from, Math.min(clips.size(), from + s.batch()));
            int b = chunk.size();
            HostTensor video = RenderedClips.batch(renderer, chunk, t, h, w);
            HostTensor decoded = vae.decode(vae.encode(video).mode());
            for (int i = 0; i < b; i++) {
                VideoFrames frames = toFrames(decoded.data(), i, t, h, w);
                cases.add(new PromptAdherence.Case(chunk.get(i), judge.judge(frames.rgb()), frames));
            }
            done.accept(cases.size());
        }
        return new PromptAdherence.Report(cases, (System.nanoTime() - started) / 1e9);
    }

    /** Video {@code i} of a decoded (B, 3, T, H, W) batch in [−1, 1] as RGB frames. */
    private static VideoFrames toFrames(float[] decoded, int i, int t, int h, int w) {
        int plane = h * w;
        float[] rgb01 = new float[t * plane * 3];
        for (int c = 0; c < 3; c++) {
            for (int f = 0; f < t; f++) {
                int base = ((i * 3 + c) * t + f) * plane;
                for (int p = 0; p < plane; p++) {
                    rgb01[(f * plane + p) * 3 + c] = (decoded[base + p] + 1) / 2;
                }
            }
        }
        return VideoFrames.fromFloats(t, h, w, rgb01);
    }
}
