package io.cogflow.cli;

import io.cogflow.job.JobConfig;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoSize;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.List;

/** What the serving benchmarks run: a job config (its batching and generation), a model and request settings. */
final class ServingOptions {
    @Option(names = "--config", description = "Job config whose batching section is used (default configs/demo.yaml).")
    Path config;

    @Option(names = "--model", description = "An exported model (default: the bundled demo model).")
    Path model;

    @Option(names = "--steps", defaultValue = "25", description = "Denoising steps per request (default 25).")
    int steps;

    @Option(names = "--guidance", defaultValue = "3.0", description = "Classifier-free guidance (default 3).")
    double guidance;

    @Option(names = "--checkpoint-ms", defaultValue = "500",
            description = "Checkpoint interval: results become visible when their checkpoint commits (default 500).")
    long checkpointMs;

    @Option(names = "--work", defaultValue = "target/bench", description = "Scratch folder (claim-check store).")
    Path work;

    Path modelDir() {
        return model == null ? RepositoryPaths.demoModel() : model;
    }

    /** The config with this model, the checkpoint interval, and relative paths resolved against the repository. */
    JobConfig jobConfig() {
        JobConfig c = JobConfig.load(config == null ? RepositoryPaths.demoConfig() : config);
        return JobConfig.parse("checkpoint_interval_ms: " + checkpointMs).withGeneration(c.generation())
                .withBatching(RepositoryPaths.repositoryRelative(c.batching())).withModel(new JobConfig.Model(modelDir().toString(), c.model().threads(), null, c.model().xla(),
                        c.model().textEncoderDevice()));
    }

    private List<VideoSize> sizes;

    /** The model's buckets (its manifest, read once). */
    List<VideoSize> sizes() {
        if (sizes == null) {
            sizes = ModelManifest.read(modelDir()).sizes().stream().map(ModelManifest.Size::video).toList();
        }
        return sizes;
    }
}
