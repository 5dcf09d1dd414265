package io.cogflow.model.pipeline;

import io.cogflow.model.config.ConfigJson;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.sampling.ForwardDiffusion;
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
import java.util.Arrays;
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
 *
 * <p>Video-to-video ({@link #prepareFromVideos}) differs only in the initial latents: an input video's, noised to
 * where its sampler joins the step grid.
 *
 * <p>The same pipeline is open step by step for continuous batching: {@link #prepare} turns requests into
 * {@link RunningSample}s, {@link #step} takes one step for any set of running samples of one size (a request can
 * join at any step boundary), and {@link #decode} turns each finished one into its video. {@link #generate} is
 * these three for one fixed batch.
 */
public final class VideoGenerator implements AutoCloseable {

    /**
     * A request whose text embeddings and initial latents are given, e.g. replayed from a reference run.
     *
     * @param cond      (L, D) conditional embeddings; {@code uncond} likewise, or null without guidance
     * @param latents   (F, C, h, w) initial latents (F padded for CogVideoX1.5)
     * @param firstStep where the sampler joins the request's step grid: 0 for latents of pure noise, more for an
     *                  input video noised to that step's timestep ({@link #prepareFromVideos})
     */
    public record Prepared(GenerationInput request, float[] cond, float[] uncond, float[] latents,
                           NoiseSource noise, int firstStep) {

        /** Initial latents of pure noise: the sampler walks the whole grid. */
        public Prepared(GenerationInput request, float[] cond, float[] uncond, float[] latents, NoiseSource noise) {
            this(request, cond, uncond, latents, noise, 0);
        }
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

    /** The noise schedule of the model's scheduler: its timestep grids and ᾱ table. */
    public NoiseSchedule schedule() {
        return schedule;
    }

    /** Generates with each request's seed as its only source of randomness. */
    public List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress) {
        return generate(requests, r -> new SeededNoise(r.seed()), progress);
    }

    /**
     * A whole batch: {@link #prepare}, {@link #step} the samples still running until all are done, {@link
     * #decode}. Every video has the batch's timings and size.
     *
     * @param noise each request's noise: its first draws are the initial latents, later ones the stochastic
     *              sampler's — so the same seed gives the same video whatever else is in the batch
     */
    public List<GeneratedVideo> generate(List<GenerationInput> requests, Function<GenerationInput, NoiseSource> noise,
                                         ProgressListener progress) {
        return sampleAndDecode(prepare(requests, noise), progress);
    }

    /** Video-to-video for a whole batch: {@link #prepareFromVideos}, then as {@link #generate}. */
    public List<GeneratedVideo> generateFromVideos(List<GenerationInput> requests, List<HostTensor> inputLatents,
                                                   double strength, ProgressListener progress) {
        return sampleAndDecode(prepareFromVideos(requests, inputLatents, strength), progress);
    }

    /** Generates from given embeddings and initial latents (replaying a reference run, or a custom encoder). */
    public List<GeneratedVideo> generatePrepared(List<Prepared> prepared, ProgressListener progress) {
        PreparationMarks marks = PreparationMarks.now();
        commonSize(prepared.stream().map(Prepared::request).toList());
        return sampleAndDecode(running(prepared, marks), progress);
    }

    /** {@link #prepare(List, Function)} with each request's seed as its only source of randomness. */
    public List<RunningSample> prepare(List<GenerationInput> requests) {
        return prepare(requests, r -> new SeededNoise(r.seed()));
    }

    /**
     * Tokenizes the requests, encodes their prompts (positive and negative) in one call and draws their initial
     * latents: samples ready for their first {@link #step}, alone or with samples prepared earlier.
     *
     * @param requests of one video size
     * @param noise    each request's noise, as for {@link #generate(List, Function, ProgressListener)}
     */
    public List<RunningSample> prepare(List<GenerationInput> requests, Function<GenerationInput, NoiseSource> noise) {
        return prepare(requests, noise, (i, source, latents) -> {
            source.fill(latents);
            return 0;
        });
    }

    /**
     * Video-to-video, as diffusers' {@code CogVideoXVideoToVideoPipeline}: each request starts from its input
     * video's latents noised to the timestep where a trajectory of {@code strength} joins the request's step grid
     * ({@link DiffusionSampler#firstStep}), and walks the rest of the grid. Strength 1 starts from pure noise (the
     * zero-SNR schedule keeps nothing of the input); small strengths keep the input's layout and change its detail.
     * Each request's seed draws the noise that covers its input first, then its sampler's.
     *
     * @param requests     of one video size
     * @param inputLatents per request, its input video encoded by the model's VAE and not yet scaled: (1, C, F, h, w)
     *                     as the VAE's encoder returns it (the posterior's mode or a sample)
     */
    public List<RunningSample> prepareFromVideos(List<GenerationInput> requests, List<HostTensor> inputLatents,
                                                 double strength) {
        if (inputLatents.size() != requests.size()) {
            throw new IllegalArgumentException(requests.size() + " requests but " + inputLatents.size()
                    + " input videos");
        }
        ModelManifest.Size size = commonSize(requests);
        for (GenerationInput r : requests) {
            DiffusionSampler.firstStep(r.steps(), strength); // refuse a strength before any work
        }
        ForwardDiffusion forward = new ForwardDiffusion(schedule);
        return prepare(requests, r -> new SeededNoise(r.seed()), (i, source, latents) -> {
            GenerationInput r = requests.get(i);
            int first = DiffusionSampler.firstStep(r.steps(), strength);
            float[] clean = pipelineLatents(size, inputLatents.get(i));
            float[] eps = new float[latents.length];
            source.fill(eps);
            forward.noise(clean, eps, schedule.timesteps(r.steps())[first], latents);
            return first;
        });
    }

    /** How a request's initial latents are made: fills {@code latents} and says where its sampler joins the grid. */
    private interface InitialLatents {
        int fill(int request, NoiseSource noise, float[] latents);
    }

    private List<RunningSample> prepare(List<GenerationInput> requests, Function<GenerationInput, NoiseSource> noise,
                                        InitialLatents initial) {
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
            int firstStep = initial.fill(i, source, latents);
            prepared.add(new Prepared(r, cond, uncond, latents, source, firstStep));
        }
        long noised = System.nanoTime();
        return running(prepared, new PreparationMarks(start, tokenized, encoded, noised));
    }

    /**
     * One denoising step for each sample: one batched transformer call over all of them, each at its own
     * timestep, then guidance and each sample's sampler step. Samples may have joined at different times and
     * have different step counts; the result of each does not depend on the others (within the transformer's
     * batch-size rounding).
     *
     * @param samples of one video size, none {@link RunningSample#done done}, none twice
     */
    public void step(List<RunningSample> samples) {
        ModelManifest.Size size = commonSize(samples.stream().map(RunningSample::request).toList());
        List<SamplingLoop.Sample> batch = samples.stream().map(RunningSample::sample).toList();
        long start = System.nanoTime();
        SamplingLoop.step(model, latentShape(size), textShape(), batch);
        long took = System.nanoTime() - start;
        for (RunningSample s : samples) {
            s.tookStep(took, samples.size());
        }
    }

    /**
     * Decodes finished samples, one video each, each with its own timings: its preparation's stages (shared with
     * the requests prepared with it), the steps it took part in, its own decode, and a total from the start of its
     * preparation to the end of its decode (time spent waiting between steps included).
     *
     * @param finished samples that are all {@link RunningSample#done done}; sizes may differ
     */
    public List<GeneratedVideo> decode(List<RunningSample> finished) {
        for (RunningSample s : finished) {
            if (!s.done()) {
                throw new IllegalArgumentException("request '" + s.request().id() + "' has " + s.remainingSteps()
                        + " step(s) left; only a finished sample can be decoded");
            }
        }
        List<GeneratedVideo> out = new ArrayList<>();
        for (RunningSample s : finished) {
            long start = System.nanoTime();
            Decoded d = decodeOne(s);
            long end = System.nanoTime();
            PreparationMarks p = s.preparation();
            PipelineTimings timings = new PipelineTimings(p.tokenizeMs(), p.encodeTextMs(), p.noiseMs(),
                    s.denoiseMs(), s.stepsTaken(), PreparationMarks.ms(start, end), p.msSinceStart(end));
            out.add(new GeneratedVideo(s.request(), d.video(), d.frames(), s.largestStep(), timings));
        }
        return out;
    }

    /** Samples ready to step, with their samplers at the first step; the initial latents are copied. */
    private List<RunningSample> running(List<Prepared> prepared, PreparationMarks marks) {
        List<RunningSample> out = new ArrayList<>();
        for (Prepared p : prepared) {
            GenerationInput r = p.request();
            DiffusionSampler sampler = DiffusionSampler.create(r.sampler() == null ? defaultSampler : r.sampler(),
                    schedule, r.steps(), p.firstStep());
            out.add(new RunningSample(r, new SamplingLoop.Sample(p.latents().clone(), p.cond(),
                    r.usesGuidance() ? p.uncond() : null, sampler, r.guidance(), r.dynamicCfg(), p.noise()), marks));
        }
        return out;
    }

    /**
     * The whole-batch path: steps whichever samples are still running until none is, then decodes all. The
     * timings are the batch's (every video gets the same), as the samples were prepared, stepped and decoded
     * together.
     */
    private List<GeneratedVideo> sampleAndDecode(List<RunningSample> samples, ProgressListener progress) {
        PreparationMarks marks = samples.get(0).preparation();
        int maxSteps = samples.stream().mapToInt(RunningSample::remainingSteps).max().orElse(0);
        int steps = 0;
        for (List<RunningSample> active = stillRunning(samples); !active.isEmpty(); active = stillRunning(samples)) {
            step(active);
            progress.onStep(++steps, maxSteps);
        }
        long denoised = System.nanoTime();
        List<Decoded> decoded = samples.stream().map(this::decodeOne).toList();
        long done = System.nanoTime();
        PipelineTimings timings = new PipelineTimings(marks.tokenizeMs(), marks.encodeTextMs(), marks.noiseMs(),
                PreparationMarks.ms(marks.noised(), denoised), steps, PreparationMarks.ms(denoised, done),
                marks.msSinceStart(done));
        List<GeneratedVideo> out = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            out.add(new GeneratedVideo(samples.get(i).request(), decoded.get(i).video(), decoded.get(i).frames(),
                    samples.size(), timings));
        }
        return out;
    }

    private static List<RunningSample> stillRunning(List<RunningSample> samples) {
        return samples.stream().filter(s -> !s.done()).toList();
    }

    /** One sample's video, as floats in [0, 1] and as 8-bit RGB. */
    private record Decoded(HostTensor video, VideoFrames frames) {
    }

    /** Decodes one finished sample (the exported decoder runs one video per call whatever the batch). */
    private Decoded decodeOne(RunningSample s) {
        ModelManifest.Size size = manifest().size(s.request().size());
        ExportedModel.DecodedVideo decoded = model.decode(vaeLatents(size, s.sample().latents()), size);
        int frames = size.video().frames();
        int h = size.video().height();
        int w = size.video().width();
        int perVideo = frames * 3 * h * w;
        HostTensor video = new HostTensor(new long[]{frames, 3, h, w}, slice(decoded.video().data(), 0, perVideo));
        byte[] rgb = new byte[perVideo];
        System.arraycopy(decoded.frames(), 0, rgb, 0, perVideo);
        return new Decoded(video, new VideoFrames(frames, h, w, rgb));
    }

    /**
     * The pipeline's side of decoding: drop CogVideoX1.5's padding frames, reorder (F, C, h, w) → (1, C, F, h, w)
     * and divide by the VAE scaling factor — the decoder itself takes unscaled latents.
     */
    private HostTensor vaeLatents(ModelManifest.Size size, float[] x) {
        int c = manifest().latentChannels();
        int f = size.latentFrames();
        int skip = size.paddedFrames() - f;
        int plane = size.latentHeight() * size.latentWidth();
        float inv = (float) (1 / manifest().vaeScalingFactor());
        float[] out = new float[c * f * plane];
        for (int t = 0; t < f; t++) {
            for (int ch = 0; ch < c; ch++) {
                int src = ((t + skip) * c + ch) * plane;
                int dst = (ch * f + t) * plane;
                for (int p = 0; p < plane; p++) {
                    out[dst + p] = x[src + p] * inv;
                }
            }
        }
        return new HostTensor(new long[]{1, c, f, size.latentHeight(), size.latentWidth()}, out);
    }

    /**
     * A video encoded by the model's VAE — (1, C, F, h, w), unscaled, as the encoder returns it — as the transformer
     * denoises it: scaled and frames first, the clean latents {@link #prepareFromVideos} noises.
     */
    public float[] transformerLatents(VideoSize video, HostTensor encoded) {
        return pipelineLatents(manifest().size(video), encoded);
    }

    /** The shape of one video's latents as the transformer takes them: (F, C, h, w), F padded for CogVideoX1.5. */
    public long[] transformerLatentShape(VideoSize video) {
        return latentShape(manifest().size(video));
    }

    /**
     * The inverse of {@link #vaeLatents}: the VAE's (1, C, F, h, w) unscaled latents as the pipeline's (F, C, h, w)
     * scaled ones. CogVideoX1.5's padded sizes are refused: their extra leading latent frame has no input frame.
     */
    private float[] pipelineLatents(ModelManifest.Size size, HostTensor vae) {
        int c = manifest().latentChannels();
        int f = size.latentFrames();
        int h = size.latentHeight();
        int w = size.latentWidth();
        if (size.paddedFrames() != f) {
            throw new IllegalArgumentException("video-to-video at " + size.video() + " is not supported: the model "
                    + "pads its " + f + " latent frames to " + size.paddedFrames());
        }
        long[] expected = {1, c, f, h, w};
        if (!Arrays.equals(vae.shape(), expected)) {
            throw new IllegalArgumentException("an input video at " + size.video() + " must be encoded to latents "
                    + Arrays.toString(expected) + ", got " + vae.shapeString());
        }
        int plane = h * w;
        float scale = (float) manifest().vaeScalingFactor();
        float[] out = new float[c * f * plane];
        for (int t = 0; t < f; t++) {
            for (int ch = 0; ch < c; ch++) {
                int src = (ch * f + t) * plane;
                int dst = (t * c + ch) * plane;
                for (int p = 0; p < plane; p++) {
                    out[dst + p] = vae.data()[src + p] * scale;
                }
            }
        }
        return out;
    }

    private long[] latentShape(ModelManifest.Size size) {
        return new long[]{size.paddedFrames(), manifest().latentChannels(), size.latentHeight(), size.latentWidth()};
    }

    private long[] textShape() {
        return new long[]{manifest().textLength(), manifest().textEmbedDim()};
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

    @Override
    public void close() {
        model.close();
    }
}
