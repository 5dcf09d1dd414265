package io.cogflow.model.checkpoint;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsTest {
    @TempDir
    Path dir;

    private static byte[] le(int bytesPer, long... raw) {
        ByteBuffer b = ByteBuffer.allocate(raw.length * bytesPer).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : raw) {
            switch (bytesPer) {
                case 2 -> b.putShort((short) v);
                case 4 -> b.putInt((int) v);
                default -> b.putLong(v);
            }
        }
        return b.array();
    }

    @Test
    void readsEveryFloatTypeAsFloat32AndIntegersAsLongs() throws IOException {
        Path f = dir.resolve("m.safetensors");
        new SafetensorsWriter()
                .f32("f32", new long[]{2, 2}, 1.5f, -2f, 0f, 3.25f)
                // 1.0, −2.0, 65504 (max half), 2^-24 (smallest subnormal), +inf
                .add("f16", "F16", new long[]{5}, le(2, 0x3c00, 0xc000, 0x7bff, 0x0001, 0x7c00))
                // 1.0, −0.5 and 3.140625 as bfloat16
                .add("bf16", "BF16", new long[]{3}, le(2, 0x3f80, 0xbf00, 0x4049))
                .add("f64", "F64", new long[]{2}, le(8, Double.doubleToLongBits(0.25), Double.doubleToLongBits(-1e10)))
                .add("f64_fine", "F64", new long[]{1}, le(8, Double.doubleToLongBits(0.1)))
                .add("i64", "I64", new long[]{2}, le(8, 999, 421))
                .write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertThat(s.metadata()).containsEntry("format", "pt");
            assertThat(s.info("f32").shape()).containsExactly(2, 2);
            assertThat(s.readFloats("f32")).containsExactly(1.5f, -2f, 0f, 3.25f);
            assertThat(s.readFloats("f16")).containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY);
            assertThat(s.readFloats("bf16")).containsExactly(1f, -0.5f, 3.140625f);
            assertThat(s.readFloats("f64")).containsExactly(0.25f, -1e10f);
            assertThat(s.readLongs("i64")).containsExactly(999, 421);
            assertThat(s.readDoubles("f64")).containsExactly(0.25, -1e10);
            // F64 must survive exactly: 0.1 has no float32 representation
            assertThat(s.readDoubles("f64_fine")).containsExactly(0.1);
            assertThat(s.readDoubles("f32")).containsExactly(1.5, -2, 0, 3.25);
            assertThat(s.readDoubles("i64")).containsExactly(999, 421);
            assertThat(s.info("i64").dtype()).isEqualTo(DType.I64);
        }
    }

    @Test
    void shardedCheckpointsAreJoinedThroughTheirIndex() throws IOException {
        new SafetensorsWriter().f32("a.weight", new long[]{2}, 1, 2).write(dir.resolve("model-00001-of-00002.safetensors"));
        new SafetensorsWriter().f32("b.weight", new long[]{1}, 3).write(dir.resolve("model-00002-of-00002.safetensors"));
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"), """
                {"metadata": {"total_size": 12}, "weight_map": {
                  "a.weight": "model-00001-of-00002.safetensors",
                  "b.weight": "model-00002-of-00002.safetensors"}}""");
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.names()).containsExactlyInAnyOrder("a.weight", "b.weight");
            assertThat(c.readFloats("a.weight")).containsExactly(1, 2);
            assertThat(c.readFloats("b.weight")).containsExactly(3);
        }
    }

    @Test
    void anIndexPointingAtAMissingShardOrTensorIsRefused() throws IOException {
        new SafetensorsWriter().f32("a.weight", new long[]{1}, 1).write(dir.resolve("s1.safetensors"));
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"),
                "{\"weight_map\": {\"a.weight\": \"s1.safetensors\", \"b.weight\": \"s2.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("shard s2.safetensors is missing");
        Files.writeString(dir.resolve("diffusion_pytorch_model.safetensors.index.json"),
                "{\"weight_map\": {\"a.weight\": \"s1.safetensors\", \"c.weight\": \"s1.safetensors\"}}");
        assertThatThrownBy(() -> Checkpoint.open(dir)).hasMessageContaining("'c.weight'");
    }

    @Test
    void truncatedOrForeignFilesFailWithTheFileName() throws IOException {
        Path f = dir.resolve("bad.safetensors");
        Files.write(f, new byte[]{1, 2, 3});
        assertThatThrownBy(() -> SafetensorsFile.open(f)).isInstanceOf(CheckpointException.class)
                .hasMessageContaining("bad.safetensors").hasMessageContaining("not a safetensors file");
        Path g = dir.resolve("trunc.safetensors");
        new SafetensorsWriter().f32("x", new long[]{4}, 1, 2, 3, 4).write(g);
        byte[] all = Files.readAllBytes(g);
        Files.write(g, java.util.Arrays.copyOf(all, all.length - 4));
        assertThatThrownBy(() -> SafetensorsFile.open(g)).hasMessageContaining("tensor 'x' has inconsistent");
        Path u = dir.resolve("u8.safetensors");
        new SafetensorsWriter().add("q", "F8_E4M3", new long[]{1}, new byte[]{1}).write(u);
        assertThatThrownBy(() -> SafetensorsFile.open(u)).hasMessageContaining("dtype F8_E4M3");
    }

    @Test
    void aFolderPrefersTheDiffusersFileNameAndRefusesAmbiguity() throws IOException {
        new SafetensorsWriter().f32("w", new long[]{1}, 7).write(dir.resolve("diffusion_pytorch_model.safetensors"));
        new SafetensorsWriter().f32("other", new long[]{1}, 8).write(dir.resolve("golden.safetensors"));
        try (Checkpoint c = Checkpoint.open(dir)) {
            assertThat(c.names()).containsExactly("w");
        }
        Path d2 = Files.createDirectory(dir.resolve("two"));
        new SafetensorsWriter().f32("a", new long[]{1}, 1).write(d2.resolve("a.safetensors"));
        new SafetensorsWriter().f32("b", new long[]{1}, 1).write(d2.resolve("b.safetensors"));
        assertThatThrownBy(() -> Checkpoint.open(d2)).hasMessageContaining("several *.safetensors files");
    }
}
