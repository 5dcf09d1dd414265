package io.cogflow.cli;

import io.cogflow.model.export.SignatureKind;
import io.cogflow.model.export.TextEncoderDevice;
import io.cogflow.model.export.XlaSignatures;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code --xla} and {@code --text-encoder-device} make of an exported model's load options. */
class RuntimeOptionsTest {

    private static RuntimeOptions parse(String... args) {
        GenerateCommand command = new GenerateCommand();
        new CommandLine(command).parseArgs(concat(args, "--model", "m", "--out", "x.gif", "a prompt"));
        return command.runtime;
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void withoutOptionsTheServingDefaults() {
        RuntimeOptions r = parse();
        assertThat(r.loadOptions().xla()).isEqualTo(XlaSignatures.DEFAULT);
        assertThat(r.loadOptions().textEncoder()).isEqualTo(TextEncoderDevice.MODEL);
    }

    @Test
    void theOptionsChooseKindsDeviceOrNoXlaAtAll() {
        RuntimeOptions r = parse("--xla", "denoise,decode", "--text-encoder-device", "cpu");
        assertThat(r.loadOptions().xla().kinds()).isEqualTo(Set.of(SignatureKind.DENOISE, SignatureKind.DECODE));
        assertThat(r.loadOptions().textEncoder()).isEqualTo(TextEncoderDevice.CPU);
        assertThat(parse("--xla", "none").loadOptions().xla()).isEqualTo(XlaSignatures.NONE);
        assertThatThrownBy(() -> parse("--xla", "vae").loadOptions()).hasMessageContaining("unknown signature kind");
    }
}
