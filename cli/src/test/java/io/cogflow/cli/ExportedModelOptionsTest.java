package io.cogflow.cli;

import io.cogflow.model.export.SignatureKind;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What {@code --xla} and {@code --text-encoder-device} make of an exported model's load options, and that only the
 * commands which load an exported model offer them.
 */
class ExportedModelOptionsTest {

    private static ExportedModelOptions parse(String... args) {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs(concat(args, "--model", "m", "--out", "x.gif", "a prompt"));
        return command.exported;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void withoutOptionsTheServingDefaults() {
        ExportedModelOptions r = parse();
        assertThat(r.loadOptions().xla()).isEqualTo(XlaSignatures.DEFAULT);
        assertThat(r.loadOptions().textEncoder()).isEqualTo(TextEncoderDevice.MODEL);
    }

    @Test
    void theOptionsChooseKindsDeviceOrNoXlaAtAll() {
        ExportedModelOptions r = parse("--xla", "denoise,decode", "--text-encoder-device", "cpu");
        assertThat(r.loadOptions().xla().kinds()).isEqualTo(Set.of(SignatureKind.DENOISE, SignatureKind.DECODE));
        assertThat(r.loadOptions().textEncoder()).isEqualTo(TextEncoderDevice.CPU);
        assertThat(parse("--xla", "none").loadOptions().xla()).isEqualTo(XlaSignatures.NONE);
        assertThatThrownBy(() -> parse("--xla", "vae").loadOptions()).hasMessageContaining("unknown signature kind");
    }

    @Test
    void onlyTheCommandsThatLoadAnExportedModelOfferThem() {
        CommandLine cli = Cogflow.commandLine();
        CommandLine bench = cli.getSubcommands().get("bench");
        CommandLine parity = cli.getSubcommands().get("parity");
        for (CommandLine loads : new CommandLine[] {cli.getSubcommands().get("generate"),
                cli.getSubcommands().get("evaluate"), bench.getSubcommands().get("generate"),
                bench.getSubcommands().get("profile")}) {
            assertThat(loads.getCommandSpec().findOption("--xla")).as(loads.getCommandName()).isNotNull();
            assertThat(loads.getCommandSpec().findOption("--text-encoder-device")).isNotNull();
        }
        // these build their own graphs from checkpoints or seeded weights: an --xla there would be ignored
        for (CommandLine builds : new CommandLine[] {cli.getSubcommands().get("train"),
                parity.getSubcommands().get("transformer"), bench.getSubcommands().get("xla"),
                bench.getSubcommands().get("vae"), bench.getSubcommands().get("t5"),
                bench.getSubcommands().get("precision")}) {
            assertThat(builds.getCommandSpec().findOption("--xla")).as(builds.getCommandName()).isNull();
            assertThat(builds.getCommandSpec().findOption("--text-encoder-device")).isNull();
            assertThat(builds.getCommandSpec().findOption("--threads")).isNotNull();
        }
    }
}
