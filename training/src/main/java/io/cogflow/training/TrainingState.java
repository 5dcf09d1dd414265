package io.cogflow.training;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves and restores a set of {@link StateVariable}s bit for bit, as one safetensors file in TF layout. Restoring
 * checks that the file holds exactly the variables of this graph with the same shapes, so a checkpoint from a
 * different config fails with a message instead of loading half a model.
 */
final class TrainingState {
    private record Slot(StateVariable variable, Operand<TFloat32> read, Placeholder<TFloat32> feed, Op assign) {
    }

    private final List<Slot> slots = new ArrayList<>();

    TrainingState(Ops root, List<StateVariable> variables) {
        Ops tf = root.withSubScope("state");
        for (StateVariable v : variables) {
            Ops s = tf; // one scope for all: each withSubScope would scan the whole graph
            @SuppressWarnings("unchecked")
            Operand<org.tensorflow.types.family.TType> handle = (Operand<org.tensorflow.types.family.TType>) v.handle();
            Operand<TFloat32> read = s.readVariableOp(handle, TFloat32.class);
            Placeholder<TFloat32> feed = s.placeholder(TFloat32.class, Placeholder.shape(Shape.of(v.shape())));
            slots.add(new Slot(v, read, feed, s.assignVariableOp(handle, feed)));
        }
    }

    /**
     * Every value in one session run: each distinct set of fetches or feeds makes TensorFlow prune and optimise
     * the whole graph again, which for a graph with gradients costs more than a training step.
     */
    Map<String, float[]> read(Session session) {
        Session.Runner runner = session.runner();
        slots.forEach(s -> runner.fetch(s.read()));
        Map<String, float[]> out = new LinkedHashMap<>();
        try (Result r = runner.run()) {
            for (int i = 0; i < slots.size(); i++) {
                out.put(slots.get(i).variable().key(), TfTensors.toHost((TFloat32) r.get(i)).data());
            }
        }
        return out;
    }

    /** Assigns the variables {@code values} names, in one session run (see {@link #read}). */
    void assign(Session session, Map<String, float[]> values) {
        List<TFloat32> tensors = new ArrayList<>();
        try {
            Session.Runner runner = session.runner();
            for (Slot s : slots) {
                float[] v = values.get(s.variable().key());
                if (v == null) {
                    continue;
                }
                TFloat32 t = TfTensors.floats(s.variable().shape(), v);
                tensors.add(t);
                runner.feed(s.feed(), t).addTarget(s.assign());
            }
            runner.run().close();
        } finally {
            tensors.forEach(TFloat32::close);
        }
    }

    void save(Session session, Path file) {
        SafetensorsWriter out = new SafetensorsWriter();
        Map<String, float[]> values = read(session);
        for (Slot s : slots) {
            out.f32(s.variable().key(), s.variable().shape(), values.get(s.variable().key()));
        }
        try {
            out.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write training state " + file, e);
        }
    }

    void restore(Session session, Path file) {
        try (Checkpoint ckpt = Checkpoint.open(file)) {
            List<String> problems = new ArrayList<>();
            for (Slot s : slots) {
                String key = s.variable().key();
                if (!ckpt.contains(key)) {
                    problems.add("missing " + key);
                } else if (!Arrays.equals(ckpt.info(key).shape(), s.variable().shape())) {
                    problems.add(key + " has shape " + ckpt.info(key).shapeString() + ", expected "
                            + Arrays.toString(s.variable().shape()));
                }
            }
            if (ckpt.names().size() != slots.size()) {
                problems.add("the file holds " + ckpt.names().size() + " tensors, this run has " + slots.size());
            }
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException(file + " is not a checkpoint of this training run: "
                        + String.join("; ", problems.subList(0, Math.min(5, problems.size()))));
            }
            Map<String, float[]> values = new LinkedHashMap<>();
            for (Slot s : slots) {
                values.put(s.variable().key(), ckpt.readFloats(s.variable().key()));
            }
            assign(session, values);
        }
    }
}
