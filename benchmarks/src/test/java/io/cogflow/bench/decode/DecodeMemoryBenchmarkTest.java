package io.cogflow.bench.decode;

import io.cogflow.bench.ProcessMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** The pieces of the decode benchmark that do not need a decode: video differences and resident memory. */
class DecodeMemoryBenchmarkTest {

    private static Path floats(Path file, float... values) throws Exception {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        Files.write(file, b.array());
        return file;
    }

    @Test
    void theDifferenceOfTwoRawVideos(@TempDir Path dir) throws Exception {
        Path a = floats(dir.resolve("a"), 0f, 0.5f, 1f, 0.25f);
        Path b = floats(dir.resolve("b"), 0f, 0.25f, 1f, 0.75f);
        DecodeMemoryBenchmark.Difference d = DecodeMemoryBenchmark.difference(a, b);
        assertThat(d.maxAbs()).isCloseTo(0.5, within(1e-9));
        assertThat(d.rms()).isCloseTo(Math.sqrt((0.0625 + 0.25) / 4), within(1e-9));
        assertThatThrownBy(() -> DecodeMemoryBenchmark.difference(a, floats(dir.resolve("c"), 1f)))
                .hasMessageContaining("differ in size");
    }

    @Test
    void thisProcessHasAResidentSetAndAPeakAtLeastAsLarge() {
        ProcessMemory self = ProcessMemory.self();
        long rss = self.rssBytes();
        assertThat(rss).isPositive();
        assertThat(self.peakRssBytes()).isGreaterThanOrEqualTo(rss);
        assertThat(new ProcessMemory(Long.MAX_VALUE).rssBytes()).isEqualTo(-1);
    }
}
