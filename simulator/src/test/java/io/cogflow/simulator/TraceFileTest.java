package io.cogflow.simulator;

import io.cogflow.model.pipeline.VideoSize;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TraceFileTest {

    @Test
    void csvAndJsonLinesGiveTheSameArrivalsSorted(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), """
                arrival_s,size,steps,priority
                # a comment
                2.5,64x64x17,25,1
                0.5,64x64x17,10
                """);
        Path jsonl = Files.writeString(dir.resolve("t.jsonl"), """
                {"arrival_s": 2.5, "size": "64x64x17", "steps": 25, "priority": 1}
                {"arrival_s": 0.5, "size": "64x64x17", "steps": 10}
                """);
        List<SimRequest> expected = List.of(new SimRequest(0, 500_000_000L, VideoSize.parse("64x64x17"), 10, 0),
                new SimRequest(1, 2_500_000_000L, VideoSize.parse("64x64x17"), 25, 1));
        assertThat(TraceFile.read(csv)).isEqualTo(expected);
        assertThat(TraceFile.read(jsonl)).isEqualTo(expected);
    }

    @Test
    void aBadLineIsNamed(@TempDir Path dir) throws Exception {
        Path csv = Files.writeString(dir.resolve("t.csv"), "0.5,64x64x17\n");
        assertThatThrownBy(() -> TraceFile.read(csv)).hasMessageContaining("line 1");
    }

    @Test
    void mixFractionsMustAddUpToOne() {
        assertThatThrownBy(() -> Mix.parse("50:0.8,20:0.3", Integer::parseInt))
                .hasMessageContaining("add up to 1");
        assertThat(Mix.parse("50", Integer::parseInt).fractions()).containsEntry(50, 1.0);
    }
}
