package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TorchLayout;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

import java.util.List;

/** {@code nn.Embedding}: a table {@code prefix.weight} [count, dim] read by index along its first axis. */
public record Embedding(ParameterSpec weight) implements Module {

    public Embedding(String prefix, long count, long dim) {
        this(new ParameterSpec(weightName(prefix), new long[]{count, dim}, TorchLayout.AS_IS));
    }

    /** The checkpoint name of the table of the embedding at {@code prefix}. */
    public static String weightName(String prefix) {
        return prefix + ".weight";
    }

    /** The same table, also accepted under {@code alternative} (a tied copy some exports store). */
    public Embedding orAlternatively(String alternative) {
        return new Embedding(weight.orAlternatively(alternative));
    }

    @Override
    public List<ParameterSpec> parameters() {
        return List.of(weight);
    }

    /** Rows of the table at {@code indices}: the result has the indices' shape plus {@code dim}. */
    public Operand<TFloat32> apply(Ops tf, ModelVariables w, Operand<? extends TNumber> indices) {
        return tf.gather(w.get(weight), indices, tf.constant(0));
    }
}
