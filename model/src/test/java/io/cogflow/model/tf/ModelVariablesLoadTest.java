package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.checkpoint.HalfFloats;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.SafetensorsWriter;
import io.cogflow.model.checkpoint.TorchLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checkpoints load as their stored bytes, put into TF layout and the storage type by the graph: a bf16 file
 * gives exactly what the same values in float32 give (bf16 widens exactly), and the graph's permutation gives
 * exactly {@link TorchLayout#toTf}, for every layout.
 */
class ModelVariablesLoadTest {
    @TempDir
    Path dir;

    private static final List<ParameterSpec> SPECS = List.of(
            ParameterSpec.vector("norm.weight", 5),
            new ParameterSpec("embedding.weight", new long[]{7, 3}, TorchLayout.AS_IS),
            ParameterSpec.linearWeight("linear.weight", 4, 6),
            new ParameterSpec("conv2d.weight", new long[]{3, 2, 3, 2}, TorchLayout.CONV2D),
            new ParameterSpec("conv3d.weight", new long[]{3, 2, 2, 3, 2}, TorchLayout.CONV3D),
            new ParameterSpec("patch.weight", new long[]{4, 2, 2, 2}, TorchLayout.PATCH_CONV_AS_LINEAR));

    /** Seeded values that bf16 holds exactly, in PyTorch layout. */
    private static Map<String, float[]> values() {
        SplittableRandom r = new SplittableRandom(11);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (ParameterSpec s : SPECS) {
            float[] v = new float[(int) s.elementCount()];
            for (int i = 0; i < v.length; i++) {
                v[i] = HalfFloats.bf16(HalfFloats.toBf16((float) (r.nextDouble() * 4 - 2)));
            }
            out.put(s.name(), v);
        }
        return out;
    }

    private Path write(String file, String dtype, Map<String, float[]> values) throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        for (ParameterSpec s : SPECS) {
            float[] v = values.get(s.name());
            switch (dtype) {
                case "F32" -> w.f32(s.name(), s.torchShape(), v);
                case "BF16" -> {
                    ByteBuffer b = ByteBuffer.allocate(v.length * 2).order(ByteOrder.LITTLE_ENDIAN);
                    for (float x : v) {
                        b.putShort(HalfFloats.toBf16(x));
                    }
                    w.add(s.name(), "BF16", s.torchShape(), b.array());
                }
                case "F64" -> {
                    ByteBuffer b = ByteBuffer.allocate(v.length * 8).order(ByteOrder.LITTLE_ENDIAN);
                    for (float x : v) {
                        b.putDouble(x);
                    }
                    w.add(s.name(), "F64", s.torchShape(), b.array());
                }
                default -> throw new IllegalArgumentException(dtype);
            }
        }
        Path p = dir.resolve(file);
        w.write(p);
        return p;
    }

    /** Every variable's value, widened to float32, after loading {@code file} into {@code storage}. */
    private static Map<String, float[]> load(Path file, Class<? extends TType> storage) {
        try (Graph g = new Graph(); Session s = new Session(g); Checkpoint c = Checkpoint.open(file)) {
            ModelVariables vars = new ModelVariables(Ops.create(g), "m", SPECS, storage);
            vars.load(s, c);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (ParameterSpec spec : SPECS) {
                try (TFloat32 t = (TFloat32) s.runner().fetch(vars.get(spec)).run().get(0)) {
                    assertThat(t.shape().asArray()).as(spec.name()).containsExactly(spec.tfShape());
                    out.put(spec.name(), TfTensors.toHost(t).data());
                }
            }
            // the load adds one assign per variable (next to assignAll's own); feeds, transposes and casts are
            // shared by the variables of a layout
            int assigns = 0;
            int placeholders = 0;
            for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
                GraphOperation op = it.next();
                if (op.type().equals("AssignVariableOp")) {
                    assigns++;
                } else if (op.type().equals("Placeholder")) {
                    placeholders++;
                }
            }
            assertThat(assigns).isEqualTo(2 * SPECS.size());
            // assignAll's one per variable, and one per (dtype, permutation) the load used: none, [1,0],
            // [2,3,1,0], [2,3,4,1,0]
            assertThat(placeholders).isEqualTo(SPECS.size() + 4);
            return out;
        }
    }

    @Test
    void bf16AndFloat32FilesLoadToTheSameValuesInTheLayoutOfToTf() throws IOException {
        Map<String, float[]> values = values();
        Path f32 = write("f32.safetensors", "F32", values);
        Path bf16 = write("bf16.safetensors", "BF16", values);
        Path f64 = write("f64.safetensors", "F64", values);
        for (Class<? extends TType> storage : List.of(TFloat32.class, TBfloat16.class)) {
            Map<String, float[]> fromF32 = load(f32, storage);
            Map<String, float[]> fromBf16 = load(bf16, storage);
            Map<String, float[]> fromF64 = load(f64, storage);
            for (ParameterSpec s : SPECS) {
                float[] expected = s.layout().toTf(values.get(s.name()), s.torchShape());
                String what = s.name() + " stored as " + storage.getSimpleName();
                assertThat(fromBf16.get(s.name())).as(what + " from BF16").containsExactly(expected);
                assertThat(fromF32.get(s.name())).as(what + " from F32").containsExactly(expected);
                assertThat(fromF64.get(s.name())).as(what + " from F64").containsExactly(expected);
            }
        }
    }

    @Test
    void theLoadChecksStillRefuseAMisShapedMissingOrUnexpectedTensor() throws IOException {
        SafetensorsWriter w = new SafetensorsWriter();
        Map<String, float[]> values = values();
        for (ParameterSpec s : SPECS) {
            if (s.name().equals("linear.weight")) {
                w.f32(s.name(), new long[]{6, 4}, values.get(s.name()));
            } else if (!s.name().equals("norm.weight")) {
                w.f32(s.name(), s.torchShape(), values.get(s.name()));
            }
        }
        w.f32("extra.bias", new long[]{1}, 0f);
        Path bad = dir.resolve("bad.safetensors");
        w.write(bad);
        try (Graph g = new Graph(); Session s = new Session(g); Checkpoint c = Checkpoint.open(bad)) {
            ModelVariables vars = new ModelVariables(Ops.create(g), "", SPECS, TFloat32.class);
            assertThatThrownBy(() -> vars.load(s, c)).isInstanceOf(CheckpointException.class)
                    .hasMessageContaining("tensor 'linear.weight' has shape [6, 4], expected [4, 6]")
                    .hasMessageContaining("missing tensor 'norm.weight'")
                    .hasMessageContaining("[extra.bias]");
        }
    }
}
