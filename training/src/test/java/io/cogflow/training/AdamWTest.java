package io.cogflow.training;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.tf.ModelVariables;
import io.cogflow.model.tf.TfTensors;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The graph AdamW against PyTorch's AdamW algorithm written out in Java (clipping, decay, bias correction). */
class AdamWTest {

    @Test
    void matchesReferenceAlgorithm() {
        // loss = Σ W∘C + Σ b∘D has the constant gradients C, D; ‖(C, D)‖ > 1 so clipping is exercised
        float[] c = {3, -1, 2, 0.5f, -2, 1};       // W is [2, 3] in TF layout
        float[] d = {-1, 4, 0.25f};
        float[] w0 = {0.1f, -0.2f, 0.3f, 0.4f, -0.5f, 0.6f};
        float[] b0 = {1, -1, 0.5f};
        double[] lrs = {1e-2, 5e-2, 2e-2};
        AdamW.Hyper h = new AdamW.Hyper(0.9, 0.95, 1e-8, 0.1, 1.0);
        float[] w;
        float[] b;
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            ModelVariables vars = new ModelVariables(tf, List.of(ParameterSpec.linearWeight("w", 3, 2),
                    ParameterSpec.vector("b", 3)));
            Operand<TFloat32> loss = tf.math.add(
                    tf.reduceSum(tf.math.mul(vars.get("w"), tf.constant(new float[][]{{3, -1, 2}, {0.5f, -2, 1}})),
                            tf.constant(new int[]{0, 1})),
                    tf.reduceSum(tf.math.mul(vars.get("b"), tf.constant(d)), tf.constant(0)));
            AdamW adam = AdamW.build(tf, vars, loss, h);
            try (Session s = new Session(g)) {
                vars.assignAll(s, spec -> spec.name().equals("w") ? w0 : b0);
                s.runner().addTarget(adam.init()).run().close();
                for (int i = 0; i < lrs.length; i++) {
                    try (TFloat32 lr = TFloat32.scalarOf((float) lrs[i]);
                         TFloat32 t = TFloat32.scalarOf(i + 1)) {
                        s.runner().feed(adam.learningRate(), lr).feed(adam.step(), t).addTarget(adam.update())
                                .run().close();
                    }
                }
                try (var r = s.runner().fetch(vars.get("w")).fetch(vars.get("b")).run()) {
                    w = TfTensors.toHost((TFloat32) r.get(0)).data();
                    b = TfTensors.toHost((TFloat32) r.get(1)).data();
                }
            }
        }
        double norm = 0;
        for (float x : c) norm += x * x;
        for (float x : d) norm += x * x;
        double scale = Math.min(1, 1 / Math.sqrt(norm));
        float[] wRef = reference(w0, c, scale, lrs, h, true);
        float[] bRef = reference(b0, d, scale, lrs, h, false);
        for (int i = 0; i < w.length; i++) {
            assertThat(w[i]).as("w[%d]", i).isCloseTo(wRef[i], within(1e-5f));
        }
        for (int i = 0; i < b.length; i++) {
            assertThat(b[i]).as("b[%d] (no decay on rank-1)", i).isCloseTo(bRef[i], within(1e-5f));
        }
    }

    private static float[] reference(float[] p0, float[] grad, double scale, double[] lrs, AdamW.Hyper h,
                                     boolean decay) {
        double[] p = new double[p0.length];
        double[] m = new double[p0.length];
        double[] v = new double[p0.length];
        for (int i = 0; i < p.length; i++) {
            p[i] = p0[i];
        }
        for (int step = 1; step <= lrs.length; step++) {
            double lr = lrs[step - 1];
            for (int i = 0; i < p.length; i++) {
                double g = grad[i] * scale;
                if (decay) {
                    p[i] *= 1 - lr * h.weightDecay();
                }
                m[i] = h.beta1() * m[i] + (1 - h.beta1()) * g;
                v[i] = h.beta2() * v[i] + (1 - h.beta2()) * g * g;
                double mHat = m[i] / (1 - Math.pow(h.beta1(), step));
                double vHat = v[i] / (1 - Math.pow(h.beta2(), step));
                p[i] -= lr * mHat / (Math.sqrt(vHat) + h.eps());
            }
        }
        float[] out = new float[p.length];
        for (int i = 0; i < p.length; i++) {
            out[i] = (float) p[i];
        }
        return out;
    }
}
