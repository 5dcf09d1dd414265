package io.cogflow.model.tf;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The Java-registered Conv3D gradient against central finite differences, in double precision. */
class Conv3dGradientTest {

    @BeforeAll
    static void register() {
        Conv3dGradient.ensureRegistered();
        Conv3dGradient.ensureRegistered(); // idempotent
    }

    @ParameterizedTest(name = "{0} stride {1}x{2}x{3}")
    @CsvSource({"VALID, 1, 1, 1", "SAME, 1, 2, 2", "VALID, 2, 1, 2"})
    void matchesFiniteDifferences(String padding, long st, long sh, long sw) {
        long[] xShape = {2, 5, 6, 5, 3};   // N, T, H, W, C
        long[] wShape = {3, 3, 2, 3, 4};   // kt, kh, kw, in, out
        Random r = new Random(7);
        double[] x = random(r, xShape);
        double[] w = random(r, wShape);
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            Placeholder<TFloat64> xp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(xShape)));
            Placeholder<TFloat64> wp = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(wShape)));
            Operand<TFloat64> y = tf.nn.conv3d(xp, wp, List.of(1L, st, sh, sw, 1L), padding);
            // a random linear functional of the output makes every output element matter
            long ySize = y.shape().size();
            double[] weights = random(r, new long[]{ySize});
            Operand<TFloat64> loss = tf.reduceSum(tf.math.mul(tf.reshape(y, tf.constant(new long[]{-1})),
                    tf.constant(weights)), tf.constant(0));
            Gradients grads = tf.gradients(loss, List.of(xp, wp));
            try (Session s = new Session(g)) {
                double[][] analytic = new double[2][];
                try (TFloat64 xt = tensor(xShape, x); TFloat64 wt = tensor(wShape, w);
                     Result res = s.runner().feed(xp, xt).feed(wp, wt).fetch(grads.dy(0)).fetch(grads.dy(1)).run()) {
                    for (int i = 0; i < 2; i++) {
                        TFloat64 gt = (TFloat64) res.get(i);
                        analytic[i] = new double[(int) gt.shape().size()];
                        gt.asRawTensor().data().asDoubles().read(analytic[i]);
                    }
                }
                double[][] values = {x, w};
                long[][] shapes = {xShape, wShape};
                double h = 1e-5;
                for (int which = 0; which < 2; which++) {
                    double[] v = values[which];
                    for (int probe = 0; probe < 25; probe++) {
                        int i = r.nextInt(v.length);
                        double keep = v[i];
                        v[i] = keep + h;
                        double plus = evalLoss(s, xp, wp, loss, xShape, x, wShape, w);
                        v[i] = keep - h;
                        double minus = evalLoss(s, xp, wp, loss, xShape, x, wShape, w);
                        v[i] = keep;
                        double numeric = (plus - minus) / (2 * h);
                        assertThat(analytic[which][i]).as("d loss / d %s[%d]", which == 0 ? "input" : "filter", i)
                                .isCloseTo(numeric, org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(numeric))));
                    }
                    assertThat(analytic[which]).hasSize((int) Shape.of(shapes[which]).size());
                }
            }
        }
    }

    private static double evalLoss(Session s, Operand<TFloat64> xp, Operand<TFloat64> wp, Operand<TFloat64> loss,
                                   long[] xShape, double[] x, long[] wShape, double[] w) {
        try (TFloat64 xt = tensor(xShape, x); TFloat64 wt = tensor(wShape, w);
             Result res = s.runner().feed(xp, xt).feed(wp, wt).fetch(loss).run()) {
            return ((TFloat64) res.get(0)).getDouble();
        }
    }

    private static TFloat64 tensor(long[] shape, double[] data) {
        return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
    }

    private static double[] random(Random r, long[] shape) {
        double[] v = new double[(int) Shape.of(shape).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }
}
