package io.cogflow.job;

import io.cogflow.model.export.ExportedModel;
import io.cogflow.model.export.ModelLoadOptions;
import io.cogflow.model.export.ModelTrust;
import io.cogflow.model.pipeline.VideoGenerator;
import io.cogflow.model.tf.SessionOptions;

import java.io.Serializable;
import java.nio.file.Path;

/**
 * How each generator subtask loads its model. The job is built with one (it travels to the TaskManagers with the
 * job graph, hence serializable): production always passes {@link #TENSORFLOW}; tests pass one that wraps it.
 */
@FunctionalInterface
public interface GeneratorFactory extends Serializable {

    /**
     * The exported model in {@code dir}, run by TensorFlow as {@code options} prepare it; refused unless
     * {@code trust} accepts its signature.
     */
    GeneratorFactory TENSORFLOW = (dir, session, trust, options) ->
            BatchGenerator.of(new VideoGenerator(ExportedModel.load(dir, session, trust, options)));

    BatchGenerator load(Path dir, SessionOptions session, ModelTrust trust, ModelLoadOptions options);
}
