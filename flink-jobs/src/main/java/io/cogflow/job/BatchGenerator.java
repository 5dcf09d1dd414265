package io.cogflow.job;

import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.RunningSample;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.pipeline.VideoSize;

import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What a generator slot needs of a loaded model: {@link VideoGenerator}'s batch call, and its step-level calls for
 * continuous batching, behind an interface so a test can wrap the real model (to slow it down or fail it) without a
 * switch for that in the job.
 */
public interface BatchGenerator extends AutoCloseable {

    ModelManifest manifest();

    /** One batch of requests of one size; a {@link RuntimeException} fails the batch's requests, not the job. */
    List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress);

    /**
     * Requests of one size, encoded together and ready to {@link #step} ({@link VideoGenerator#prepare(List)}); a
     * {@link RuntimeException} fails these requests, not the job.
     */
    List<RunningSample> prepare(List<GenerationInput> requests);

    /**
     * One denoising step for each of the running samples of one size, whenever each joined ({@link
     * VideoGenerator#step}); a {@link RuntimeException} fails the samples stepped, not the job.
     */
    void step(List<RunningSample> samples);

    /** Each finished sample's video, with its own timings ({@link VideoGenerator#decode}). */
    List<GeneratedVideo> decode(List<RunningSample> finished);

    /**
     * Runs every shape batches of up to {@code maxRequests(size)} requests give the model, before the first
     * request ({@link VideoGenerator#warmUp(ToIntFunction)}).
     */
    ExportedModel.WarmUp warmUp(ToIntFunction<VideoSize> maxRequests);

    @Override
    void close();

    static BatchGenerator of(VideoGenerator generator) {
        return new BatchGenerator() {
            @Override
            public ModelManifest manifest() {
                return generator.manifest();
            }

            @Override
            public List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress) {
                return generator.generate(requests, progress);
            }

            @Override
            public List<RunningSample> prepare(List<GenerationInput> requests) {
                return generator.prepare(requests);
            }

            @Override
            public void step(List<RunningSample> samples) {
                generator.step(samples);
            }

            @Override
            public List<GeneratedVideo> decode(List<RunningSample> finished) {
                return generator.decode(finished);
            }

            @Override
            public ExportedModel.WarmUp warmUp(ToIntFunction<VideoSize> maxRequests) {
                return generator.warmUp(maxRequests);
            }

            @Override
            public void close() {
                generator.close();
            }
        };
    }
}
