package io.cogflow.training;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a model's weights, updated after every optimiser step — what diffusion models
 * are sampled with (DDPM, DiT, diffusers' {@code EMAModel}), since the raw weights of a noisy small-batch run
 * scatter around the point the average finds. The decay warms up as {@code min(decay, (1 + t) / (10 + t))}, as
 * diffusers does, so the first steps' weights are not kept for thousands of steps.
 *
 * <p>The averages are checkpoint state like the optimiser's moments: a resumed run continues the same average.
 */
final class WeightAverage {
    private final double decay;
    private final Placeholder<TFloat32> stepDecay;
    private final List<StateVariable> slots;
    private final Op init;
    private final Op update;

    private WeightAverage(double decay, Placeholder<TFloat32> stepDecay, List<StateVariable> slots, Op init,
                          Op update) {
        this.decay = decay;
        this.stepDecay = stepDecay;
        this.slots = slots;
        this.init = init;
        this.update = update;
    }

    /** Averages of {@code weights}, each updated from the weight's value after {@code optimiserUpdate} ran. */
    static WeightAverage build(Ops tf, ModelVariables weights, Op optimiserUpdate, double decay) {
        if (!(decay > 0 && decay < 1)) {
            throw new IllegalArgumentException("weight average decay must be in (0, 1), got " + decay);
        }
        Placeholder<TFloat32> d = tf.withName("ema_decay").placeholder(TFloat32.class,
                Placeholder.shape(Shape.scalar()));
        Operand<TFloat32> keep = tf.math.sub(tf.constant(1f), d);
        Ops after = tf.withControlDependencies(List.of(optimiserUpdate));
        List<StateVariable> slots = new ArrayList<>();
        List<Op> inits = new ArrayList<>();
        List<Op> updates = new ArrayList<>();
        int i = 0;
        for (ModelVariables.Variable var : weights.variables()) {
            String key = key(var.key());
            VarHandleOp avg = tf.withName("ema_" + i++).varHandleOp(TFloat32.class, Shape.of(var.spec().tfShape()),
                    VarHandleOp.sharedName(key));
            slots.add(new StateVariable(key, avg, var.spec().tfShape()));
            inits.add(tf.assignVariableOp(avg, tf.readVariableOp(var.handle(), TFloat32.class)));
            Operand<TFloat32> w = after.readVariableOp(var.handle(), TFloat32.class);
            Operand<TFloat32> old = tf.readVariableOp(avg, TFloat32.class);
            // avg ← avg − (1 − d)(avg − w): one multiply, and exact when d = 0
            updates.add(after.assignVariableOp(avg, tf.math.sub(old, tf.math.mul(keep, tf.math.sub(old, w)))));
        }
        Op initOp = tf.withControlDependencies(inits).withName("ema_init").noOp();
        Op updateOp = tf.withControlDependencies(updates).withName("ema_update").noOp();
        return new WeightAverage(decay, d, slots, initOp, updateOp);
    }

    /** The decay step {@code t} (1-based) uses. */
    float decayAt(int t) {
        return (float) Math.min(decay, (1.0 + t) / (10.0 + t));
    }

    /** The averages, keyed {@code ema/<weight key>}: checkpoint state besides the weights and moments. */
    List<StateVariable> slots() {
        return slots;
    }

    /** The checkpoint key of the average of the weight with key {@code weightKey}. */
    static String key(String weightKey) {
        return "ema/" + weightKey;
    }

    /** Feed: this step's decay ({@link #decayAt}). */
    Placeholder<TFloat32> stepDecay() {
        return stepDecay;
    }

    /** Target: every average set to its weight's current value; run once after the weights are initialised. */
    Op init() {
        return init;
    }

    /** Target: the optimiser step, then every average moved toward its new weight. */
    Op update() {
        return update;
    }
}
