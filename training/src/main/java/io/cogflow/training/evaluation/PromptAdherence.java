package io.cogflow.training.evaluation;

import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.training.data.ClipDataset;
import io.cogflow.training.data.ClipJudge;
import io.cogflow.training.data.ClipSpec;
import io.cogflow.model.video.VideoFrames;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * How well a model follows prompts it never trained on: for every held-out (colour, shape, motion) triple of
 * {@link ClipDataset}, generate videos from the caption and let {@link ClipJudge} read colour, motion and shape back
 * from the pixels. Accuracy per attribute is the share of videos whose judged attribute equals the prompt's; a
 * video the judge cannot read (no foreground, ambiguous shape) counts as wrong.
 */
public final class PromptAdherence {

    /** Which prompts: the held-out combinations (the measure), or as many training ones (for comparison). */
    public enum Split { HELD_OUT, TRAINING }

    /** What to generate. */
    public record Settings(VideoSize size, int perCombination, long seed, int steps, double guidance, int batch,
                           Split split) {
        public Settings {
            if (perCombination < 1 || batch < 1) {
                throw new IllegalArgumentException("per-combination count and batch must be positive");
            }
        }
    }

    /** One generated video and the judge's reading of it. */
    public record Case(ClipSpec prompt, ClipJudge.Judgement judged, VideoFrames frames) {
        public boolean colourRight() {
            return judged.colour() == prompt.colour();
        }

        public boolean motionRight() {
            return judged.motion() == prompt.motion();
        }

        public boolean shapeRight() {
            return judged.shape() == prompt.shape();
        }

        /** The object moves without jumps ({@link ClipJudge.Judgement#smooth}). */
        public boolean smooth() {
            return judged.smooth();
        }
    }

    public record Report(List<Case> cases, double seconds) {
        public double colourAccuracy() {
            return share(cases.stream().filter(Case::colourRight).count());
        }

        public double motionAccuracy() {
            return share(cases.stream().filter(Case::motionRight).count());
        }

        public double shapeAccuracy() {
            return share(cases.stream().filter(Case::shapeRight).count());
        }

        /** The share of videos that glide; a video the judge cannot follow through every frame does not. */
        public double smoothness() {
            return share(cases.stream().filter(Case::smooth).count());
        }

        private double share(long right) {
            return cases.isEmpty() ? Double.NaN : (double) right / cases.size();
        }
    }

    private PromptAdherence() {
    }

    /** The prompts {@link #evaluate} uses, in order. */
    public static List<ClipSpec> prompts(Settings s) {
        ClipDataset data = ClipDataset.standard();
        if (s.split() == Split.HELD_OUT) {
            return data.heldOutClips(s.perCombination(), s.seed());
        }
        // training clips far from any index a training run draws, with the same count as the held-out set
        int n = data.heldOutCount() * s.perCombination();
        List<ClipSpec> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(data.trainingClip((1L << 50) + s.seed() * n + i));
        }
        return out;
    }

    /** @param done called with the number of videos finished after each batch */
    public static Report evaluate(VideoGenerator generator, Settings s, IntConsumer done) {
        List<ClipSpec> prompts = prompts(s);
        ClipJudge judge = new ClipJudge(s.size().frames(), s.size().height(), s.size().width());
        List<Case> cases = new ArrayList<>(prompts.size());
        long started = System.nanoTime();
        for (int from = 0; from < prompts.size(); from += s.batch()) {
            List<ClipSpec> chunk = prompts.subList(from, Math.min(prompts.size(), from + s.batch()));
            List<GenerationInput> requests = new ArrayList<>(chunk.size());
            for (int i = 0; i < chunk.size(); i++) {
                ClipSpec p = chunk.get(i);
                requests.add(new GenerationInput("eval-" + (from + i), p.caption(), "", s.size(), s.steps(),
                        s.guidance(), false, p.seed() & Long.MAX_VALUE, null));
            }
            List<GeneratedVideo> videos = generator.generate(requests, ProgressListener.NONE);
            for (int i = 0; i < chunk.size(); i++) {
                VideoFrames f = videos.get(i).frames();
                cases.add(new Case(chunk.get(i), judge.judge(f.rgb()), f));
            }
            done.accept(cases.size());
        }
        return new Report(cases, (System.nanoTime() - started) / 1e9);
    }
}
