package io.cogflow.model.pipeline;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BatchProfileTest {
    private static final VideoSize SIZE = VideoSize.parse("64x64x17");

    private static BatchProfile profile() {
        // given out of order: the profile sorts by batch
        return new BatchProfile("m", "2 vCPU", "2026-11-26", 25, 4.0, Map.of(SIZE.toString(), List.of(
                new BatchProfile.Point(4, 1600, 1400, 200), new BatchProfile.Point(1, 600, 500, 100),
                new BatchProfile.Point(2, 1000, 850, 150))));
    }

    @Test
    void batchTimesInterpolateBetweenAndExtrapolatePerVideoBeyondTheMeasuredPoints() {
        BatchProfile p = profile();
        assertEquals(600, p.batchMs(SIZE, 1), 1e-9);
        assertEquals(1300, p.batchMs(SIZE, 3), 1e-9);
        assertEquals(3200, p.batchMs(SIZE, 8), 1e-9);
        assertEquals(2.5, p.points(SIZE).get(2).videosPerSecond(), 1e-9);
    }

    @Test
    void itRoundTripsThroughItsFileAndNamesWhatIsMissing(@TempDir Path dir) {
        Path f = dir.resolve("profiles/p.json");
        profile().write(f);
        BatchProfile back = BatchProfile.read(f);
        assertEquals(profile(), back);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> BatchProfile.read(dir.resolve("nope.json")));
        assertTrue(none.getMessage().contains("cogflow bench profile"), none.getMessage());
        IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
                () -> back.batchMs(VideoSize.parse("32x32x9"), 1));
        assertTrue(size.getMessage().contains("64x64x17"), size.getMessage());
    }
}
