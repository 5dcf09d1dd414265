package io.cogflow.cli;

import io.cogflow.model.transformer.AttentionBudget;
import io.cogflow.model.transformer.AttentionMemory;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The attention options parse into the typed budget, and refuse what does not make one. */
class AttentionOptionsTest {

    @Command(name = "probe")
    static final class Probe implements Runnable {
        @Mixin
        AttentionOptions attention;

        @Override
        public void run() {
        }
    }

    private static AttentionBudget parse(String... args) {
        Probe p = new Probe();
        new CommandLine(p).parseArgs(args);
        return p.attention.budget();
    }

    @Test
    void theDefaultIsTheModelsDefault() {
        assertThat(parse()).isEqualTo(AttentionBudget.DEFAULT);
    }

    @Test
    void aShareOfTheDeviceMemory() {
        assertThat(parse("--device-memory", "80GiB", "--attention-fraction", "0.25", "--max-batch", "4"))
                .isEqualTo(new AttentionBudget(new AttentionMemory.DeviceShare(80L << 30, 0.25), 4));
    }

    @Test
    void anExplicitBudget() {
        assertThat(parse("--attention-memory", "512MiB", "--max-batch", "2").scoreBytes()).isEqualTo(512L << 20);
        assertThat(parse("--attention-memory", "1048576").scoreBytes()).isEqualTo(1L << 20);
    }

    @Test
    void contradictoryOrInvalidOptionsAreRefused() {
        assertThatThrownBy(() -> parse("--attention-memory", "8GiB", "--device-memory", "80GiB"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("not both");
        assertThatThrownBy(() -> parse("--attention-memory", "eight")).hasMessageContaining("not a byte count");
        assertThatThrownBy(() -> parse("--device-memory", "80GiB", "--attention-fraction", "1.5"))
                .hasMessageContaining("fraction");
        assertThatThrownBy(() -> parse("--max-batch", "0")).hasMessageContaining("max batch");
    }
}
