package io.cogflow.model.checkpoint;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsWriterTest {
    @TempDir
    Path dir;

    @Test
    void namesJsonMustEscapeRoundTripThroughTheReader() throws IOException {
        List<String> names = List.of("quote\"d", "back\\slash", "\\\"", "größe.β", "日本語", "clip \uD83C\uDFA5",
                "bell\u0007", "tab\tnew\nline", "\u0000nul", "}\"],\"x\":{", "__metadata_");
        SafetensorsWriter w = new SafetensorsWriter();
        for (int i = 0; i < names.size(); i++) {
            w.f32(names.get(i), new long[]{2}, i, -i);
        }
        Path f = dir.resolve("names.safetensors");
        w.write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertThat(s.tensors().keySet()).containsExactlyElementsOf(names);
            assertThat(s.metadata()).containsExactly(Map.entry("format", "pt"));
            for (int i = 0; i < names.size(); i++) {
                assertThat(s.readFloats(names.get(i))).as(names.get(i)).containsExactly(i, -i);
            }
        }
    }

    @Test
    void theHeaderIsSpacePaddedSoTheDataStartsEightByteAligned() throws IOException {
        ObjectMapper json = new ObjectMapper();
        // names of 1 to 9 characters walk the unpadded header length through every remainder mod 8
        for (int n = 1; n <= 9; n++) {
            Path f = dir.resolve("aligned" + n + ".safetensors");
            new SafetensorsWriter().f32("x".repeat(n), new long[]{1}, 42f).add("y", "F64", new long[]{1},
                    ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).array()).write(f);
            byte[] all = Files.readAllBytes(f);
            long headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
            assertThat((8 + headerLength) % 8).as("name length %d", n).isZero();
            String header = new String(all, 8, (int) headerLength, StandardCharsets.UTF_8);
            String body = header.stripTrailing();
            assertThat(header.length() - body.length()).isLessThan(8);
            assertThat(header.substring(body.length())).matches(" *");
            JsonNode root = json.readTree(body);
            assertThat(root.path("x".repeat(n)).path("data_offsets").toString()).isEqualTo("[0,4]");
            assertThat(root.path("y").path("data_offsets").toString()).isEqualTo("[4,12]");
            float x = ByteBuffer.wrap(all, (int) (8 + headerLength), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
            assertThat(x).isEqualTo(42f);
            assertThat(all.length).isEqualTo(8 + headerLength + 12);
            try (SafetensorsFile s = SafetensorsFile.open(f)) {
                assertThat(s.readDoubles("y")).containsExactly(0.1);
            }
        }
    }

    @Test
    void theHeaderKeepsTheLayoutOfTheFormat() throws IOException {
        Path f = dir.resolve("layout.safetensors");
        new SafetensorsWriter().f32("w", new long[]{2, 1}, 1, 2).add("e", "F32", new long[]{0}, new byte[0]).write(f);
        byte[] all = Files.readAllBytes(f);
        int headerLength = (int) ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat(new String(all, 8, headerLength, StandardCharsets.UTF_8).stripTrailing()).isEqualTo(
                "{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]},"
                        + "\"e\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,8]}}");
    }

    @Test
    void namesAndShapesTheFormatCannotHoldAreRefused() {
        SafetensorsWriter w = new SafetensorsWriter().f32("a", new long[]{1}, 1);
        assertThatThrownBy(() -> w.f32("__metadata__", new long[]{1}, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("__metadata__");
        assertThatThrownBy(() -> w.f32("a", new long[]{1}, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a' was already added");
        assertThatThrownBy(() -> w.add("n", "F32", new long[]{-1}, new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative dimension");
        assertThatThrownBy(() -> w.add(null, "F32", new long[]{1}, new byte[4]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theShapeIsCopiedWhenAdded() throws IOException {
        long[] shape = {2};
        SafetensorsWriter w = new SafetensorsWriter().f32("s", shape, 1, 2);
        shape[0] = 99;
        Path f = dir.resolve("copy.safetensors");
        w.write(f);
        try (SafetensorsFile s = SafetensorsFile.open(f)) {
            assertThat(s.info("s").shape()).containsExactly(2);
        }
    }
}
