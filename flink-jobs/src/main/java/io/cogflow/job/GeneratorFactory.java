package io.cogflow.job;

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

    /** The exported model in {@code dir}, run by TensorFlow. */
    GeneratorFactory TENSORFLOW = (dir, session) -> BatchGenerator.of(VideoGenerator.load(dir, session));

    BatchGenerator load(Path dir, SessionOptions session);
}
