package io.cogflow.model.pipeline;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.sampling.NoiseSchedule;
import io.cogflow.model.sampling.NoiseSource;
import io.cogflow.model.sampling.DiffusionSampler;
import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.sampling.SchedulerConfig;
import io.cogflow.model.sampling.SeededNoise;
import io.cogflow.model.tensor.HostTensor;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tokenizer.T5Tokenizer;
import io.cogflow.model.video.VideoFrames;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;

/**
 * Text to video on an exported model: tokenize → encode prompts (positive and negative in one call) → initial
 * noise → N steps of batched denoise + guidance + sampler step → decode → frames, for a batch of requests of one
 * video size. The model is loaded once and shared; {@link #generate} may be called from several threads.
 */
public final class VideoGenerator implements AutoCloseable {

    /**
     * A request whose text embeddings and initial latents are given, e.g. replayed from a reference run.
     *
     * @param cond    (L, D) conditional embeddings; {@code uncond} likewise, or null without guidance
     * @param latents (F, C, h, w) initial latents (F padded for CogVideoX1.5)
     */
    public record Prepared(GenerationInput request, float[] cond, float[] uncond, float[] latents,
                           NoiseSource noise) {
    }

    private final ExportedModel model;
    private final NoiseSchedule schedule;
    private final SamplerKind defaultSampler;

    public VideoGenerator(ExportedModel model) {
        this.model = model;
        SchedulerConfig scheduler = SchedulerConfig.from(ConfigJson.parse(model.manifest().schedulerConfig()
                .toString()));
        this.schedule = NoiseSchedule.of(scheduler);
        this.defaultSampler = scheduler.defaultSampler();
    }

    public static VideoGenerator load(Path dir, SessionOptions options) {
        return new VideoGenerator(ExportedModel.load(dir, options));
    }

    public static VideoGenerator load(Path dir, SessionOptions options, ModelLoadOptions load) {
        return new VideoGenerator(ExportedModel.load(dir, options, ModelTrust.ANY, load));
    }

    /** {@link #warmUp(ToIntFunction)} with the same largest batch at every size. */
    public ExportedModel.WarmUp warmUp(int maxRequests) {
        return warmUp(size -> maxRequests);
    }

    /**
     * Runs every shape that batches of up to {@code maxRequests(size)} requests can give each signature once, so
     * no request pays for compilation: {@code r} requests of which {@code g} use guidance encode {@code r + g}
     * texts and denoise {@code r + g} rows (fewer as requests with fewer steps finish), and decode {@code r}
     * latents — so text and denoise rows 1 … 2·max, decode 1 … max. A size whose maximum is 0 is skipped.
     */
    public ExportedModel.WarmUp warmUp(ToIntFunction<VideoSize> maxRequests) {
        Map<VideoSize, ExportedModel.SizeRows> sizes = new LinkedHashMap<>();
        int maxText = 0;
        for (ModelManifest.Size s : manifest().sizes()) {
            int max = maxRequests.applyAsInt(s.video());
            if (max < 0) {
                throw new IllegalArgumentException("a largest batch cannot be negative, got " + max + " for " + s.video());
            }
            if (max > 0) {
                sizes.put(s.video(), new ExportedModel.SizeRows(upTo(2 * max), upTo(max)));
                maxText = Math.max(maxText, 2 * max);
            }
        }
        return model.warmUp(new ExportedModel.WarmUpPlan(upTo(maxText), sizes));
    }

    private static List<Integer> upTo(int n) {
        return IntStream.rangeClosed(1, n).boxed().toList();
    }

    public ModelManifest manifest() {
        return model.manifest();
    }

    public ExportedModel model() {
        return model;
    }

    /** Generates with each request's seed as its only source of randomness. */
    public List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress) {
        return generate(requests, r -> new SeededNoise(r.seed()), progress);
    }

    /**
     * @param noise each request's noise: its first draws are the initial latents, later ones the stochastic
     *              sampler's — so the same seed gives the same video whatever else is in the batch
     */
    public List<GeneratedVideo> generate(List<GenerationInput> requests, Function<GenerationInput, NoiseSource> noise,
                                         ProgressListener progress) {
        long start = System.nanoTime();
        ModelManifest.Size size = commonSize(requests);
        T5Tokenizer tokenizer = model.tokenizer();
        int len = manifest().textLength();
        List<GenerationInput> guided = requests.stream().filter(GenerationInput::usesGuidance).toList();
        long[][] ids = new long[requests.size() + guided.size()][];
        int row = 0;
        for (GenerationInput r : requests) {
            ids[row++] = inVocabulary(tokenizer.encode(r.prompt(), len), tokenizer);
        }
        for (GenerationInput r : guided) {
            ids[row++] = inVocabulary(tokenizer.encode(r.negativePrompt(), len), tokenizer);
        }
        long tokenized = System.nanoTime();
        HostTensor embeddings = model.encodeText(ids);
        long encoded = System.nanoTime();
        int textSize = len * manifest().textEmbedDim();
        int latentSize = latentSize(size);
        List<Prepared> prepared = new ArrayList<>();
        int guidedRow = requests.size();
        for (int i = 0; i < requests.size(); i++) {
            GenerationInput r = requests.get(i);
            float[] cond = slice(embeddings.data(), i * textSize, textSize);
            float[] uncond = r.usesGuidance() ? slice(embeddings.data(), guidedRow++ * textSize, textSize) : null;
            NoiseSource source = noise.apply(r);
            float[] latents = new float[latentSize];
            source.fill(latents);
            prepared.add(new Prepared(r, cond, uncond, latents, source));
        }
        long noised = System.nanoTime();
        return sampleAndDecode(size, prepared, progress, new PreparationMarks(start, tokenized, encoded, noised));
    }

    /** Generates from given embeddings and initial latents (replaying a reference run, or a custom encoder). */
    public List<GeneratedVideo> generatePrepared(List<Prepared> prepared, ProgressListener progress) {
        long now = System.nanoTime();
        ModelManifest.Size size = commonSize(prepared.stream().map(Prepared::request).toList());
        return sampleAndDecode(size, prepared, progress, new PreparationMarks(now, now, now, now));
    }

    /**
     * {@link System#nanoTime} at the start and end of each preparation stage; all equal when the caller prepared
     * the inputs itself.
     */
    private record PreparationMarks(long start, long tokenized, long encoded, long noised) {
    }

    private List<GeneratedVideo> sampleAndDecode(ModelManifest.Size size, List<Prepared> prepared,
                                                 ProgressListener progress, PreparationMarks marks) {
        List<SamplingLoop.Sample> samples = new ArrayList<>();
        for (Prepared p : prepared) {
            GenerationInput r = p.request();
            DiffusionSampler sampler = DiffusionSampler.create(r.sampler() == null ? defaultSampler : r.sampler(), schedule, r.steps());
            samples.add(new SamplingLoop.Sample(p.latents().clone(), p.cond(), r.usesGuidance() ? p.uncond() : null,
                    sampler, r.guidance(), r.dynamicCfg(), p.noise()));
        }
        long[] latentShape = {size.paddedFrames(), manifest().latentChannels(), size.latentHeight(),
                size.latentWidth()};
        long[] textShape = {manifest().textLength(), manifest().textEmbedDim()};
        int steps = SamplingLoop.run(model, latentShape, textShape, samples, progress);
        long denoised = System.nanoTime();

        ExportedModel.DecodedVideo decoded = model.decode(vaeLatents(size, samples), size);
        long done = System.nanoTime();
        PipelineTimings timings = new PipelineTimings(ms(marks.start(), marks.tokenized()),
                ms(marks.tokenized(), marks.encoded()), ms(marks.encoded(), marks.noised()),
                ms(marks.noised(), denoised), steps, ms(denoised, done), ms(marks.start(), done));
        List<GeneratedVideo> out = new ArrayList<>();
        int frames = size.video().frames();
        int h = size.video().height();
        int w = size.video().width();
        int perVideo = frames * 3 * h * w;
        for (int i = 0; i < prepared.size(); i++) {
            HostTensor video = new HostTensor(new long[]{frames, 3, h, w},
                    slice(decoded.video().data(), i * perVideo, perVideo));
            byte[] rgb = new byte[perVideo];
            System.arraycopy(decoded.frames(), i * perVideo, rgb, 0, perVideo);
            out.add(new GeneratedVideo(prepared.get(i).request(), video, new VideoFrames(frames, h, w, rgb),
                    prepared.size(), timings));
        }
        return out;
    }

    /**
     * The pipeline's side of decoding: drop CogVideoX1.5's padding frames, reorder (F, C, h, w) → (C, F, h, w)
     * and divide by the VAE scaling factor — the decoder itself takes unscaled latents.
     */
    private HostTensor vaeLatents(ModelManifest.Size size, List<SamplingLoop.Sample> samples) {
        int c = manifest().latentChannels();
        int f = size.latentFrames();
        int skip = size.paddedFrames() - f;
        int plane = size.latentHeight() * size.latentWidth();
        float inv = (float) (1 / manifest().vaeScalingFactor());
        float[] out = new float[samples.size() * c * f * plane];
        for (int b = 0; b < samples.size(); b++) {
            float[] x = samples.get(b).latents();
            for (int t = 0; t < f; t++) {
                for (int ch = 0; ch < c; ch++) {
                    int src = ((t + skip) * c + ch) * plane;
                    int dst = ((b * c + ch) * f + t) * plane;
                    for (int p = 0; p < plane; p++) {
                        out[dst + p] = x[src + p] * inv;
                    }
                }
            }
        }
        return new HostTensor(new long[]{samples.size(), c, f, size.latentHeight(), size.latentWidth()}, out);
    }

    private ModelManifest.Size commonSize(List<GenerationInput> requests) {
        if (requests.isEmpty()) {
            throw new IllegalArgumentException("no requests");
        }
        VideoSize first = requests.get(0).size();
        for (GenerationInput r : requests) {
            if (!r.size().equals(first)) {
                throw new IllegalArgumentException("a batch must share one video size: " + first + " and "
                        + r.size());
            }
        }
        return manifest().size(first);
    }

    private int latentSize(ModelManifest.Size s) {
        return s.paddedFrames() * manifest().latentChannels() * s.latentHeight() * s.latentWidth();
    }

    /**
     * Ids the text encoder has no embedding for become the tokenizer's unknown id. Real T5 checkpoints cover
     * their tokenizer (32,128 ≥ 32,100); this only matters for mismatched small components.
     */
    private long[] inVocabulary(long[] ids, T5Tokenizer tokenizer) {
        int vocab = manifest().textEncoderVocab();
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] >= vocab) {
                ids[i] = tokenizer.unkId();
            }
        }
        return ids;
    }

    private static float[] slice(float[] a, int from, int length) {
        float[] out = new float[length];
        System.arraycopy(a, from, out, 0, length);
        return out;
    }

    private static double ms(long from, long to) {
        return (to - from) / 1e6;
    }

    @Override
    public void close() {
        model.close();
    }
}
