package io.cogflow.cli;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** submit reports a request as sent only once the broker has it; no broker, no ids and a non-zero exit. */
class SubmitUnreachableTest {
    @Test
    void anUnreachableBrokerIsAnErrorWithinTheSendTimeout() {
        long t0 = System.nanoTime();
        CliRun run = CliRun.of("submit", "--bootstrap", "127.0.0.1:9", "--send-timeout", "2", "a red circle",
                "another");
        assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(Cogflow.ERROR);
        assertThat(run.out()).isEmpty();
        assertThat(run.err().strip()).startsWith("cogflow: 2 of 2 requests were not acknowledged by 127.0.0.1:9 "
                + "within 2 s").doesNotContain("\n");
        // bounded: one max.block.ms per request, not the producer's minutes of defaults
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
    }

    @Test
    void aTimeoutBelowOneSecondIsRefused() {
        CliRun run = CliRun.of("submit", "--bootstrap", "127.0.0.1:9", "--send-timeout", "0", "x");
        assertThat(run.exit()).isEqualTo(Cogflow.ERROR);
        assertThat(run.err()).contains("--send-timeout must be at least 1 second");
    }

    @Test
    void theSendTimeoutBoundsTheProducerUnlessTheUserSetItsProperties() {
        assertThat(SendTimeout.of(2).applyTo(Map.of())).containsEntry("max.block.ms", "2000")
                .containsEntry("delivery.timeout.ms", "2000").containsEntry("request.timeout.ms", "1995");
        assertThat(SendTimeout.of(2).applyTo(Map.of("delivery.timeout.ms", "60000", "linger.ms", "${env:L}")))
                .containsEntry("delivery.timeout.ms", "60000").containsEntry("max.block.ms", "2000")
                .doesNotContainKey("request.timeout.ms");
    }

    @Test
    void controlCharactersArePrintedEscaped() {
        assertThat(Printable.of("a\u001b[2Jb\nc\u202ed")).isEqualTo("a\\u001b[2Jb\\u000ac\\u202ed");
        assertThat(Printable.of("plain-id é")).isEqualTo("plain-id é");
    }
}
