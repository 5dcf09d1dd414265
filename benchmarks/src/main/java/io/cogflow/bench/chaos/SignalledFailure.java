package io.cogflow.bench.chaos;

import io.cogflow.job.BatchGenerator;
import io.cogflow.job.GeneratorFactory;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.RunningSample;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tf.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * The fault {@code generator-error} of {@code bench chaos}: the real model, whose next batch (or denoising step, when
 * the job batches continuously) anywhere in the job throws an {@link Error} once {@code bench chaos} creates the
 * signal file — the generator's own failure (as a native library's), which fails the task so Flink restarts the job
 * from its checkpoint. Exactly one batch or step fails per signal: deleting the file is atomic, and only the subtask
 * that deletes it throws. It lives in the benchmarks
 * jar, which {@code bench chaos} ships with the job jar; the job itself has no such switch.
 *
 * @param signal a file every TaskManager of the cluster sees (one machine here)
 */
public record SignalledFailure(String signal) implements GeneratorFactory {

    /** What the generator throws: not a request's failure but its own. */
    public static final class InjectedGeneratorFailure extends Error {
        InjectedGeneratorFailure(String message) {
            super(message);
        }
    }

    @Override
    public BatchGenerator load(Path dir, SessionOptions session, ModelTrust trust, ModelLoadOptions options) {
        BatchGenerator real = GeneratorFactory.TENSORFLOW.load(dir, session, trust, options);
        Path file = Path.of(signal);
        return new BatchGenerator() {
            @Override
            public ModelManifest manifest() {
                return real.manifest();
            }

            @Override
            public List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress) {
                failIfSignalled("a batch of " + requests.size());
                return real.generate(requests, progress);
            }

            @Override
            public List<RunningSample> prepare(List<GenerationInput> requests) {
                return real.prepare(requests);
            }

            @Override
            public void step(List<RunningSample> samples) {
                failIfSignalled("a step of " + samples.size());
                real.step(samples);
            }

            @Override
            public List<GeneratedVideo> decode(List<RunningSample> finished) {
                return real.decode(finished);
            }

            private void failIfSignalled(String where) {
                try {
                    if (Files.deleteIfExists(file)) {
                        throw new InjectedGeneratorFailure("bench chaos: the generator fails inside " + where);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }

            @Override
            public ExportedModel.WarmUp warmUp(ToIntFunction<VideoSize> maxRequests) {
                return real.warmUp(maxRequests);
            }

            @Override
            public void close() {
                real.close();
            }
        };
    }
}
