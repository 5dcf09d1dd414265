package io.cogflow.training;

import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.SessionOptions;
import io.cogflow.model.tf.TfTensors;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * What every trainer shares: a graph with a model's weights, a loss and an {@link AdamW} update, the session
 * running it, the step counter, and checkpoints of weights + moments that resume bit for bit.
 *
 * <p>The step counter is the only other state a resumed run needs: trainers derive every random draw of step n
 * (batch, timesteps, noise, text dropout) from (seed, n), so no generator state has to be saved.
 */
final class TrainingSession implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final ModelVariables weights;
    private final AdamW optimizer;
    /** Null when the run keeps no average and writes its raw weights. */
    private final WeightAverage average;
    private final TrainingState state;
    private int steps;

    private TrainingSession(Graph graph, Session session, ModelVariables weights, AdamW optimizer,
                            WeightAverage average, TrainingState state) {
        this.graph = graph;
        this.session = session;
        this.weights = weights;
        this.optimizer = optimizer;
        this.average = average;
        this.state = state;
    }

    /**
     * As {@link #open(Graph, Ops, ModelVariables, Operand, AdamW.Hyper, SessionOptions, Function, double)}, without
     * a weight average.
     */
    static TrainingSession open(Graph graph, Ops tf, ModelVariables weights, Operand<TFloat32> loss,
                                AdamW.Hyper hyper, SessionOptions options,
                                Function<io.cogflow.model.checkpoint.ParameterSpec, float[]> init) {
        return open(graph, tf, weights, loss, hyper, options, init, 0);
    }

    /**
     * Adds AdamW for {@code loss} to {@code graph}, opens the session and initialises weights with {@code init}
     * (values in TF layout) and the moments with zeros. With {@code averageDecay} > 0 it also keeps a
     * {@link WeightAverage} of the weights, which {@link #writeWeights} writes instead of the raw ones. Takes
     * ownership of the graph.
     */
    static TrainingSession open(Graph graph, Ops tf, ModelVariables weights, Operand<TFloat32> loss,
                                AdamW.Hyper hyper, SessionOptions options,
                                Function<io.cogflow.model.checkpoint.ParameterSpec, float[]> init,
                                double averageDecay) {
        Session session = null;
        try {
            AdamW optimizer = AdamW.build(tf, weights, loss, hyper);
            WeightAverage average = averageDecay > 0
                    ? WeightAverage.build(tf, weights, optimizer.update(), averageDecay) : null;
            List<StateVariable> all = new ArrayList<>();
            for (ModelVariables.Variable v : weights.variables()) {
                all.add(new StateVariable(v.key(), v.handle(), v.spec().tfShape()));
            }
            all.addAll(optimizer.slots());
            if (average != null) {
                all.addAll(average.slots());
            }
            TrainingState state = new TrainingState(tf, all);
            session = new Session(graph, options.toConfigProto());
            Map<String, float[]> values = new LinkedHashMap<>();
            for (ModelVariables.Variable v : weights.variables()) {
                values.put(v.key(), init.apply(v.spec()));
            }
            state.assign(session, values);
            session.runner().addTarget(optimizer.init()).run().close();
            if (average != null) {
                session.runner().addTarget(average.init()).run().close();
            }
            return new TrainingSession(graph, session, weights, optimizer, average, state);
        } catch (RuntimeException e) {
            if (session != null) {
                session.close();
            }
            graph.close();
            throw e;
        }
    }

    /**
     * Runs the next optimiser step at learning rate {@code lr}: {@code inputs} feeds the model's inputs and adds
     * the fetches to a runner whose target is the update (and the weight average's, after it); the step count
     * advances.
     */
    Result step(double lr, UnaryOperator<Session.Runner> inputs) {
        steps++;
        try (TFloat32 lrT = TFloat32.scalarOf((float) lr);
             TFloat32 stepT = TFloat32.scalarOf(steps);
             // a null resource is skipped on close: a run without an average allocates no decay
             TFloat32 decayT = average == null ? null : TFloat32.scalarOf(average.decayAt(steps))) {
            Session.Runner runner = session.runner().feed(optimizer.learningRate(), lrT).feed(optimizer.step(), stepT)
                    .addTarget(optimizer.update());
            if (average != null) {
                runner.feed(average.stepDecay(), decayT).addTarget(average.update());
            }
            return inputs.apply(runner).run();
        }
    }

    Session session() {
        return session;
    }

    AdamW optimizer() {
        return optimizer;
    }

    int steps() {
        return steps;
    }

    /** Saves weights and moments to {@code file}; the caller records {@link #steps()} next to it. */
    void save(Path file) {
        state.save(session, file);
    }

    /** Restores weights and moments saved by {@link #save} and sets the step count to {@code steps}. */
    void restore(Path file, int steps) {
        state.restore(session, file);
        this.steps = steps;
    }

    /**
     * The weights — their average if the run keeps one — in PyTorch layout under their checkpoint names, as
     * diffusers/transformers save them.
     */
    void writeWeights(Path file) {
        SafetensorsWriter out = new SafetensorsWriter();
        Map<String, float[]> values = state.read(session);
        for (ModelVariables.Variable v : weights.variables()) {
            float[] tf = values.get(average == null ? v.key() : WeightAverage.key(v.key()));
            out.f32(v.spec().name(), v.spec().torchShape(), v.spec().layout().toTorch(tf, v.spec().torchShape()));
        }
        try {
            out.write(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write weights " + file, e);
        }
    }

    @Override
    public void close() {
        session.close();
        graph.close();
    }
}
