package io.cogflow.training;

import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class VideoDiffusionLossTest {

    @Test
    void perSampleMseAndBatchMean() {
        float[][][] pred = {{{1, 2}, {3, 4}}, {{0, 0}, {0, 0}}};
        float[][][] target = {{{1, 2}, {3, 6}}, {{1, 1}, {1, 1}}};
        try (Graph g = new Graph(); Session s = new Session(g)) {
            Ops tf = Ops.create(g);
            VideoDiffusionLoss loss = VideoDiffusionLoss.build(tf, tf.constant(pred), tf.constant(target));
            try (Result r = s.runner().fetch(loss.perSample()).fetch(loss.mean()).run()) {
                TFloat32 per = (TFloat32) r.get(0);
                assertThat(per.getFloat(0)).isCloseTo(1f, within(1e-6f)); // (6−4)² / 4
                assertThat(per.getFloat(1)).isCloseTo(1f, within(1e-6f));
                assertThat(((TFloat32) r.get(1)).getFloat()).isCloseTo(1f, within(1e-6f));
            }
        }
    }
}
