package io.cogflow.training;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TFloat32;

import java.util.ArrayList;
import java.util.List;

/**
 * AdamW (decoupled weight decay, Loshchilov &amp; Hutter; PyTorch's {@code torch.optim.AdamW}) over every
 * weight of a float32 {@link ModelVariables}, as a graph piece.
 *
 * <p>Per step: g = ∂loss/∂w via {@code tf.gradients}; all gradients scaled by min(1, maxNorm/‖g‖) with ‖g‖ the
 * global L2 norm over every weight (PyTorch {@code clip_grad_norm_}); then per weight
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², w ← w·(1 − lr·λ) − lr·m̂/(√v̂ + ε) with m̂ = m/(1−β1^t),
 * v̂ = v/(1−β2^t).
 *
 * <p>Written with plain ops and {@code assignVariableOp} rather than {@code resourceApplyAdam}: the decay must
 * use the weight before the Adam step (as PyTorch does), and one expression for the new weight keeps that
 * ordering explicit instead of relying on two assigns to the same variable running in the right order.
 *
 * <p>Weight decay skips rank-1 tensors (LayerNorm scales/shifts and biases), the usual convention: shrinking
 * a norm scale towards 0 or a bias towards 0 is not a useful prior. Embedding/linear matrices are decayed.
 *
 * <p>The learning rate and the 1-based step count t are placeholders, so a {@link LearningRateSchedule} and a
 * step counter in Java drive them. The m and v slots are resource variables zeroed by {@link #init()}.
 */
public final class AdamW {

    /** β 0.9/0.95, ε 1e-8 and clipping at 1.0 are the CogVideoX (SAT) settings; λ is the decoupled decay. */
    public record Hyper(double beta1, double beta2, double eps, double weightDecay, double maxGradNorm) {
        public static Hyper cogVideoX(double weightDecay) {
            return new Hyper(0.9, 0.95, 1e-8, weightDecay, 1.0);
        }
    }

    private final Placeholder<TFloat32> learningRate;
    private final Placeholder<TFloat32> step;
    private final Operand<TFloat32> globalNorm;
    private final Operand<TFloat32> clippedNorm;
    private final Op init;
    private final Op update;
    private final List<StateVariable> slots;

    private AdamW(Placeholder<TFloat32> learningRate, Placeholder<TFloat32> step, Operand<TFloat32> globalNorm,
                  Operand<TFloat32> clippedNorm, Op init, Op update, List<StateVariable> slots) {
        this.slots = List.copyOf(slots);
        this.learningRate = learningRate;
        this.step = step;
        this.globalNorm = globalNorm;
        this.clippedNorm = clippedNorm;
        this.init = init;
        this.update = update;
    }

    public static AdamW build(Ops root, ModelVariables weights, Operand<TFloat32> loss, Hyper h) {
        Ops tf = root.withSubScope("adamw");
        List<ModelVariables.Variable> vars = weights.variables();
        List<Operand<TFloat32>> values = new ArrayList<>(vars.size());
        for (ModelVariables.Variable v : vars) {
            if (v.storageType() != TFloat32.class) {
                throw new IllegalArgumentException("AdamW trains float32 weights; " + v.key() + " is stored as "
                        + v.storageType().getSimpleName());
            }
            @SuppressWarnings("unchecked")
            Operand<TFloat32> f = (Operand<TFloat32>) v.stored();
            values.add(f);
        }
        Placeholder<TFloat32> lr = tf.withName("learning_rate").placeholder(TFloat32.class,
                Placeholder.shape(Shape.scalar()));
        Placeholder<TFloat32> t = tf.withName("step").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));

        // gradients of the read values: the forward graph reads each weight through exactly these ops
        Gradients grads = tf.gradients(loss, values);
        List<Operand<TFloat32>> g = new ArrayList<>(vars.size());
        List<Operand<TFloat32>> squares = new ArrayList<>(vars.size());
        for (int i = 0; i < vars.size(); i++) {
            @SuppressWarnings("unchecked")
            Operand<TFloat32> gi = (Operand<TFloat32>) (Operand<?>) grads.dy(i);
            g.add(gi);
            squares.add(tf.reduceSum(tf.math.square(gi), allAxes(tf, gi)));
        }
        Operand<TFloat32> norm = tf.withName("global_norm").math.sqrt(tf.math.addN(squares));
        Operand<TFloat32> maxNorm = tf.constant((float) h.maxGradNorm());
        // min(1, max/‖g‖) written as max/max(‖g‖, max): no division by zero when every gradient is 0
        Operand<TFloat32> scale = tf.math.div(maxNorm, tf.math.maximum(norm, maxNorm));

        Operand<TFloat32> one = tf.constant(1f);
        Operand<TFloat32> b1 = tf.constant((float) h.beta1());
        Operand<TFloat32> b2 = tf.constant((float) h.beta2());
        Operand<TFloat32> eps = tf.constant((float) h.eps());
        Operand<TFloat32> bc1 = tf.math.sub(one, tf.math.pow(b1, t));
        Operand<TFloat32> bc2 = tf.math.sub(one, tf.math.pow(b2, t));
        Operand<TFloat32> decay = tf.math.sub(one, tf.math.mul(lr, tf.constant((float) h.weightDecay())));

        List<Op> inits = new ArrayList<>();
        List<StateVariable> slots = new ArrayList<>();
        List<Op> updates = new ArrayList<>();
        List<Operand<TFloat32>> clippedSquares = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            ModelVariables.Variable var = vars.get(i);
            // no sub-scope per weight: in TF Java each withSubScope scans every op of the graph, which made
            // building this optimiser quadratic in the graph size (25 s for a small VAE)
            Ops s = tf;
            Shape shape = Shape.of(var.spec().tfShape());
            VarHandleOp m = s.withName("m_" + i).varHandleOp(TFloat32.class, shape,
                    VarHandleOp.sharedName("adamw/" + var.key() + "/m"));
            VarHandleOp v = s.withName("v_" + i).varHandleOp(TFloat32.class, shape,
                    VarHandleOp.sharedName("adamw/" + var.key() + "/v"));
            slots.add(new StateVariable("adamw/" + var.key() + "/m", m, var.spec().tfShape()));
            slots.add(new StateVariable("adamw/" + var.key() + "/v", v, var.spec().tfShape()));
            // fill, not tf.zeros, which opens a sub-scope (a scan of the whole graph) per call
            Operand<TFloat32> zeros = s.fill(s.constant(var.spec().tfShape()), s.constant(0f));
            inits.add(s.assignVariableOp(m, zeros));
            inits.add(s.assignVariableOp(v, zeros));

            Operand<TFloat32> gi = s.math.mul(g.get(i), scale);
            clippedSquares.add(s.reduceSum(s.math.square(gi), allAxes(s, gi)));
            Operand<TFloat32> mNew = s.math.add(s.math.mul(b1, s.readVariableOp(m, TFloat32.class)),
                    s.math.mul(s.math.sub(one, b1), gi));
            Operand<TFloat32> vNew = s.math.add(s.math.mul(b2, s.readVariableOp(v, TFloat32.class)),
                    s.math.mul(s.math.sub(one, b2), s.math.square(gi)));
            Operand<TFloat32> mHat = s.math.div(mNew, bc1);
            Operand<TFloat32> vHat = s.math.div(vNew, bc2);
            Operand<TFloat32> adam = s.math.mul(lr, s.math.div(mHat, s.math.add(s.math.sqrt(vHat), eps)));
            Operand<TFloat32> w = values.get(i);
            Operand<TFloat32> decayed = shape.numDimensions() == 1 ? w : s.math.mul(w, decay);
            updates.add(s.assignVariableOp(m, mNew));
            updates.add(s.assignVariableOp(v, vNew));
            updates.add(s.assignVariableOp(var.handle(), s.math.sub(decayed, adam)));
        }
        Operand<TFloat32> clipped = tf.withName("clipped_norm").math.sqrt(tf.math.addN(clippedSquares));
        Op initOp = tf.withControlDependencies(inits).withName("init").noOp();
        Op updateOp = tf.withControlDependencies(updates).withName("update").noOp();
        return new AdamW(lr, t, norm, clipped, initOp, updateOp, slots);
    }

    private static Operand<org.tensorflow.types.TInt32> allAxes(Ops tf, Operand<TFloat32> x) {
        int rank = x.shape().numDimensions();
        int[] axes = new int[rank];
        for (int i = 0; i < rank; i++) {
            axes[i] = i;
        }
        return tf.constant(axes);
    }

    /** The first and second moments of every weight: what a checkpoint must hold besides the weights. */
    public List<StateVariable> slots() {
        return slots;
    }

    /** Feed: the learning rate of this step. */
    public Placeholder<TFloat32> learningRate() {
        return learningRate;
    }

    /** Feed: the 1-based step number t for the bias corrections 1 − β^t. */
    public Placeholder<TFloat32> step() {
        return step;
    }

    /** Global gradient norm before clipping. */
    public Operand<TFloat32> globalNorm() {
        return globalNorm;
    }

    /** Global norm of the gradients actually used (≤ maxGradNorm), computed from the clipped tensors. */
    public Operand<TFloat32> clippedNorm() {
        return clippedNorm;
    }

    /** Target: zeroes every m and v slot; run once before the first update. */
    public Op init() {
        return init;
    }

    /** Target: one optimiser step (needs the model's inputs, {@link #learningRate()} and {@link #step()} fed). */
    public Op update() {
        return update;
    }
}
