package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShardedWriterTest {
    @TempDir
    Path dir;

    private static final List<ShardedWriter.Tensor> TENSORS = List.of(
            new ShardedWriter.Tensor("a.weight", DType.BF16, new long[]{4, 3}),     // 24 bytes
            new ShardedWriter.Tensor("a.bias", DType.BF16, new long[]{4}),          // 8
            new ShardedWriter.Tensor("b.weight", DType.F32, new long[]{2, 5}),      // 40: above the limit alone
            new ShardedWriter.Tensor("c.weight", DType.BF16, new long[]{3, 2, 2}),  // 24
            new ShardedWriter.Tensor("z", DType.F32, new long[]{1}));               // 4

    /** Element i of tensor t is t·16 + i: whole numbers below 256, exact in bf16. */
    private static float value(ShardedWriter.Tensor t, long i) {
        return TENSORS.indexOf(t) * 16 + i;
    }

    private static final ShardedWriter.Data DATA = (t, out) -> {
        ByteBuffer b = ByteBuffer.allocate((int) t.bytes()).order(ByteOrder.LITTLE_ENDIAN);
        for (long i = 0; i < t.elementCount(); i++) {
            if (t.dtype() == DType.BF16) {
                b.putShort(HalfFloats.toBf16(value(t, i)));
            } else {
                b.putFloat(value(t, i));
            }
        }
        // in two pieces, as a streaming producer writes
        b.flip();
        ByteBuffer first = b.duplicate().limit(b.limit() / 2);
        out.put(first);
        out.put(b.position(b.limit() / 2));
    };

    @Test
    void shardsAndTheirIndexReadBackThroughCheckpoint() throws IOException {
        ShardedWriter.Written w = ShardedWriter.write(dir, "diffusion_pytorch_model", TENSORS, 32, DATA);

        // 24+8 fit 32; 40 alone; 24+4 together
        assertThat(w.files()).extracting(p -> p.getFileName().toString()).containsExactly(
                "diffusion_pytorch_model-00001-of-00003.safetensors",
                "diffusion_pytorch_model-00002-of-00003.safetensors",
                "diffusion_pytorch_model-00003-of-00003.safetensors");
        assertThat(w.index()).isEqualTo(dir.resolve("diffusion_pytorch_model.safetensors.index.json"));
        assertThat(w.totalBytes()).isEqualTo(24 + 8 + 40 + 24 + 4);
        JsonNode index = new ObjectMapper().readTree(w.index().toFile());
        assertThat(index.path("metadata").path("total_size").asLong()).isEqualTo(w.totalBytes());
        assertThat(index.path("weight_map").path("b.weight").asText())
                .isEqualTo("diffusion_pytorch_model-00002-of-00003.safetensors");

        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.source()).isEqualTo(w.index());
            assertThat(c.names()).containsExactlyInAnyOrder("a.weight", "a.bias", "b.weight", "c.weight", "z");
            for (ShardedWriter.Tensor t : TENSORS) {
                TensorInfo info = c.info(t.name());
                assertThat(info.dtype()).isEqualTo(t.dtype());
                assertThat(info.shape()).containsExactly(t.shape());
                float[] v = c.readFloats(t.name());
                for (int i = 0; i < v.length; i++) {
                    assertThat(v[i]).as("%s[%d]", t.name(), i).isEqualTo(value(t, i));
                }
            }
        }
    }

    @Test
    void oneShardIsOneFileWithoutIndexAndTheSameBytesAsTheInMemoryWriter() throws IOException {
        Path single = Files.createDirectories(dir.resolve("single"));
        ShardedWriter.Written w = ShardedWriter.write(single, "model", TENSORS, 1 << 20, DATA);
        assertThat(w.index()).isNull();
        assertThat(w.files()).containsExactly(single.resolve("model.safetensors"));
        try (Stream<Path> s = Files.list(single)) {
            assertThat(s.count()).isEqualTo(1);
        }

        SafetensorsWriter reference = new SafetensorsWriter();
        for (ShardedWriter.Tensor t : TENSORS) {
            List<ByteBuffer> pieces = new java.util.ArrayList<>();
            DATA.write(t, b -> {
                ByteBuffer copy = ByteBuffer.allocate(b.remaining());
                copy.put(b).flip();
                pieces.add(copy);
            });
            ByteBuffer all = ByteBuffer.allocate((int) t.bytes());
            pieces.forEach(all::put);
            reference.add(t.name(), t.dtype().name(), t.shape(), all.array());
        }
        Path expected = dir.resolve("reference.safetensors");
        reference.write(expected);
        assertThat(Files.readAllBytes(w.files().get(0))).isEqualTo(Files.readAllBytes(expected));
    }

    @Test
    void aProducerThatWritesTheWrongAmountIsRefused() {
        ShardedWriter.Data shortData = (t, out) -> out.put(ByteBuffer.allocate((int) t.bytes() - 1));
        assertThatThrownBy(() -> ShardedWriter.write(dir, "model", TENSORS, 1 << 20, shortData))
                .hasMessageContaining("a.weight").hasMessageContaining("needs 24 bytes, but 23");
    }

    @Test
    void bf16RoundsToNearestEven() {
        assertThat(HalfFloats.toBf16(1f)).isEqualTo((short) 0x3f80);
        // 1 + 2^-8 lies halfway between 1 and 1 + 2^-7: ties go to the even neighbour, 1
        assertThat(HalfFloats.toBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        // 1 + 3·2^-8 lies halfway between 1 + 2^-7 and 1 + 2^-6: the even one is 1 + 2^-6
        assertThat(HalfFloats.toBf16(1f + 3 * 0x1p-8f)).isEqualTo((short) 0x3f82);
        assertThat(HalfFloats.toBf16(1f + 0x1p-8f + 0x1p-20f)).isEqualTo((short) 0x3f81);
        assertThat(HalfFloats.bf16(HalfFloats.toBf16(-2.5f))).isEqualTo(-2.5f);
        assertThat(Float.isNaN(HalfFloats.bf16(HalfFloats.toBf16(Float.NaN)))).isTrue();
    }
}
