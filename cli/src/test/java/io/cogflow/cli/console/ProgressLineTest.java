package io.cogflow.cli.console;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ProgressLineTest {

    private final StringWriter text = new StringWriter();
    private final PrintWriter out = new PrintWriter(text);

    @Test
    void onATerminalTheLineIsRedrawnInPlaceAndEndsWithTheLastUpdate() {
        try (ProgressLine p = new ProgressLine(out, true, "denoising", "steps", 4)) {
            for (int i = 1; i <= 4; i++) {
                p.update(i);
            }
        }
        String s = text.toString();
        assertThat(s).startsWith("\r").endsWith("\n");
        assertThat(s.chars().filter(c -> c == '\r')).hasSize(4);
        assertThat(s.chars().filter(c -> c == '\n')).hasSize(1);
        String last = s.substring(s.lastIndexOf('\r') + 1).strip();
        assertThat(last).startsWith("denoising [########################] 4/4 steps, ").contains("steps/s")
                .contains("00:00 left");
    }

    @Test
    void aShorterRedrawBlanksWhatTheLongerLineLeftOnScreen() {
        try (ProgressLine p = new ProgressLine(out, true, "stage", "steps", 10)) {
            p.update(1, "a long detail that the next update does not have");
            p.update(2);
        }
        String[] draws = text.toString().split("\r");
        // draws[0] is empty (the text starts with \r); the second draw covers the whole first one
        assertThat(draws[2].stripTrailing()).doesNotContain("detail");
        assertThat(draws[2].replace("\n", "").length()).isGreaterThanOrEqualTo(draws[1].length());
    }

    @Test
    void onATerminalWorkThatStopsShortStillGetsItsNewline() {
        try (ProgressLine p = new ProgressLine(out, true, "stage 1 vae", "steps", 100)) {
            p.update(1, "loss 0.5");
            p.update(2, "loss 0.4");
        }
        assertThat(text.toString()).endsWith("\n").contains("2/100 steps").contains("loss 0.4");
        assertThat(text.toString().chars().filter(c -> c == '\n')).hasSize(1);
    }

    @Test
    void inALogUpdatesBecomeALineEveryTenthAndNeverACarriageReturn() {
        try (ProgressLine p = new ProgressLine(out, false, "generated", "videos", 100)) {
            for (int i = 1; i <= 100; i++) {
                p.update(i);
            }
        }
        String s = text.toString();
        assertThat(s).doesNotContain("\r");
        List<String> lines = s.lines().toList();
        // quick updates: one line per tenth, the last one being the whole
        assertThat(lines).hasSize(10);
        assertThat(lines.get(0)).startsWith("generated [##").contains(" 10/100 videos");
        assertThat(lines.get(9)).contains("100/100 videos");
    }

    @Test
    void inALogTheLastUpdateIsWrittenWhenWorkStopsShort() {
        try (ProgressLine p = new ProgressLine(out, false, "stage 2 dit", "steps", 40, 1000)) {
            p.update(41, "loss 0.3");
            p.update(42, "loss 0.2");
            assertThat(text.toString()).isEmpty();
        }
        assertThat(text.toString().lines().toList()).singleElement().asString()
                .contains("  42/1000 steps").contains("loss 0.2").doesNotContain("\r");
    }

    @Test
    void inALogSlowWorkGetsALineAfterTheIntervalEvenWithinATenth() throws InterruptedException {
        try (ProgressLine p = new ProgressLine(out, false, "encoding latents", "clips", 1000)) {
            p.update(1);
            assertThat(text.toString()).isEmpty();
            Thread.sleep(ProgressLine.LOG_INTERVAL.toMillis() + 100);
            p.update(2);
            assertThat(text.toString().lines().toList()).singleElement().asString().contains("   2/1000 clips");
            p.update(3);
            assertThat(text.toString().lines()).hasSize(1);
        }
        assertThat(text.toString().lines().toList()).hasSize(2).last().asString().contains("   3/1000 clips");
    }

    @Test
    void refusesAStartBeyondTheTotal() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProgressLine(out, false, "x", "steps", 5, 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeLeftReadsAsAClock() {
        assertThat(ProgressLine.clock(Double.NaN)).isEqualTo("--:--");
        assertThat(ProgressLine.clock(75)).isEqualTo("01:15");
        assertThat(ProgressLine.clock(3725)).isEqualTo("1:02:05");
    }
}
