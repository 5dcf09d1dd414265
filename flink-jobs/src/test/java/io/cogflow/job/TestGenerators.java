package io.cogflow.job;

import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.GeneratedVideo;
import io.cogflow.model.pipeline.GenerationInput;
import io.cogflow.model.pipeline.ProgressListener;
import io.cogflow.model.pipeline.RunningSample;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.model.tensor.HostTensor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import java.util.function.UnaryOperator;

/**
 * The real model, made to misbehave: what the job's tests build it with (through {@link GeneratorFactory}) to see
 * it survive a failing or slow generator. Nothing of this is in the job itself.
 */
final class TestGenerators {
    /**
     * The failures that fired in this JVM. A factory travels to the TaskManager serialised and is deserialised
     * again by every restarted task, so "only once" cannot live in the factory; each one has its own token here.
     */
    private static final Set<String> FIRED = ConcurrentHashMap.newKeySet();

    private TestGenerators() {
    }

    /** Not a request's failure (those become FAILED results) but the generator's own: the task fails. */
    static final class InjectedFailure extends Error {
        InjectedFailure(String message) {
            super(message);
        }
    }

    /**
     * The real model, whose generator in one subtask throws {@link InjectedFailure} once — in this JVM — when it
     * is handed a batch or a step after {@code batches} batches and steps together (a whole-batch job counts its
     * batches, a continuously batching one its steps): the job fails and restarts from its checkpoint, and the
     * restarted one runs unharmed.
     */
    static GeneratorFactory failingOnceAfter(int batches) {
        String token = UUID.randomUUID().toString();
        return (dir, session, trust, options) -> {
            AtomicInteger generated = new AtomicInteger();
            return wrap(GeneratorFactory.TENSORFLOW.load(dir, session, trust, options), () -> {
                if (generated.incrementAndGet() > batches && FIRED.add(token)) {
                    throw new InjectedFailure("injected failure after " + batches + " batches or steps");
                }
            });
        };
    }

    /** The real model, each batch and each step {@code millis} slower. */
    static GeneratorFactory slowedDownBy(long millis) {
        return (dir, session, trust, options) -> wrap(GeneratorFactory.TENSORFLOW.load(dir, session, trust, options), () -> {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                // the task is closing: it stops after this batch or step
                Thread.currentThread().interrupt();
            }
        });
    }

    /**
     * The real model, whose float videos come out as NaN (what a diverging sampler makes): the 8-bit frames of
     * such a video are black, and must not pass for a result.
     */
    static GeneratorFactory nonFiniteOutput() {
        return (dir, session, trust, options) -> wrap(GeneratorFactory.TENSORFLOW.load(dir, session, trust, options), () -> {
        }, v -> {
            float[] nan = new float[v.video().data().length];
            Arrays.fill(nan, Float.NaN);
            return new GeneratedVideo(v.request(), new HostTensor(v.video().shape(), nan), v.frames(), v.batchSize(),
                    v.timings());
        });
    }

    /** The generator, with {@code beforeModelRun} run before each batch and each step. */
    private static BatchGenerator wrap(BatchGenerator real, Runnable beforeModelRun) {
        return wrap(real, beforeModelRun, UnaryOperator.identity());
    }

    /**
     * The generator, with {@code beforeModelRun} run before each batch and each step (where the denoising time
     * goes; preparing and decoding are left alone) and each video, of a batch or decoded, replaced by
     * {@code after}'s.
     */
    private static BatchGenerator wrap(BatchGenerator real, Runnable beforeModelRun,
                                       UnaryOperator<GeneratedVideo> after) {
        return new BatchGenerator() {
            @Override
            public ModelManifest manifest() {
                return real.manifest();
            }

            @Override
            public List<GeneratedVideo> generate(List<GenerationInput> requests, ProgressListener progress) {
                beforeModelRun.run();
                return real.generate(requests, progress).stream().map(after).toList();
            }

            @Override
            public List<RunningSample> prepare(List<GenerationInput> requests) {
                return real.prepare(requests);
            }

            @Override
            public void step(List<RunningSample> samples) {
                beforeModelRun.run();
                real.step(samples);
            }

            @Override
            public List<GeneratedVideo> decode(List<RunningSample> finished) {
                return real.decode(finished).stream().map(after).toList();
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
