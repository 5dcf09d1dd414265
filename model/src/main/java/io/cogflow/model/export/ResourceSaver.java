package io.cogflow.model.export;

import io.cogflow.model.tf.ModelVariables;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Identity;
import org.tensorflow.op.core.NoOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.train.Restore;
import org.tensorflow.op.train.Save;
import org.tensorflow.proto.SaverDef;
import org.tensorflow.types.TString;
import org.tensorflow.types.family.TType;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Save and restore ops for resource variables. TF Java's own saver only knows reference variables
 * ({@code VariableV2}), so a SavedModel of our resource-variable graphs needs its own {@link SaverDef}: a
 * {@code SaveV2} of every variable's value and a {@code RestoreV2} whose tensors are assigned back to the
 * handles — what TensorFlow's loader runs when it opens the model.
 */
final class ResourceSaver {
    private final Placeholder<TString> filename;
    private final Identity<TString> saved;
    private final NoOp restoreAll;

    ResourceSaver(Ops tf, List<ModelVariables.Variable> variables) {
        Ops s = tf.withSubScope("save");
        String[] keys = variables.stream().map(ModelVariables.Variable::key).toArray(String[]::new);
        String[] wholeTensors = new String[keys.length];
        Arrays.fill(wholeTensors, "");
        Operand<TString> names = s.withName("tensor_names").constant(StandardCharsets.UTF_8, keys);
        Operand<TString> slices = s.withName("shape_and_slices").constant(StandardCharsets.UTF_8, wholeTensors);
        filename = s.withName("filename").placeholder(TString.class);
        List<Operand<?>> values = new ArrayList<>();
        List<Class<? extends TType>> types = new ArrayList<>();
        for (ModelVariables.Variable v : variables) {
            values.add(v.stored());
            types.add(v.storageType());
        }
        Save save = s.train.save(filename, names, slices, values);
        saved = s.withControlDependencies(List.of(save)).withName("control_dependency").identity(filename);
        Restore restore = s.train.restore(filename, names, slices, types);
        List<Op> assigns = new ArrayList<>();
        for (int i = 0; i < variables.size(); i++) {
            assigns.add(s.assignVariableOp(variables.get(i).handle(), restore.tensors().get(i)));
        }
        restoreAll = s.withControlDependencies(assigns).withName("restore_all").noOp();
    }

    SaverDef saverDef() {
        return SaverDef.newBuilder()
                .setFilenameTensorName(filename.op().name() + ":0")
                .setSaveTensorName(saved.op().name() + ":0")
                .setRestoreOpName(restoreAll.op().name())
                .setVersion(SaverDef.CheckpointFormatVersion.V2)
                .build();
    }

    /** Writes every variable's current value to {@code prefix} (.index + .data files). */
    void save(Session session, String prefix) {
        try (TString name = TString.scalarOf(prefix)) {
            session.runner().feed(filename, name).fetch(saved).run().close();
        }
    }
}
