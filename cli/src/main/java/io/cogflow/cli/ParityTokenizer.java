package io.cogflow.cli;

import io.cogflow.parity.TokenizerParity;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** {@code cogflow parity tokenizer}. */
@Command(name = "tokenizer", mixinStandardHelpOptions = true,
        description = {"Tokenize every case of a golden.json with a SentencePiece model and compare the ids "
                + "exactly: {\"cases\": [{\"text\", \"ids\", optional \"pieces\", optional \"t5_ids_max16\" "
                + "(truncate to 15, EOS 1, pad 0 to 16)}], optional \"vocab_size\"}."})
final class ParityTokenizer extends ParityCheck {
    @Option(names = "--model", required = true,
            description = "A spiece.model, a folder holding one, or a model root with tokenizer/spiece.model.")
    Path model;

    @Option(names = "--golden", required = true, description = "The golden.json with the cases.")
    Path golden;

    @Override
    boolean check(PrintWriter out) {
        TokenizerParity.Report r = TokenizerParity.run(model, golden);
        out.printf(Locale.ROOT, "model       %s (vocab %d)%n", model, r.vocabSize());
        out.printf(Locale.ROOT, "golden      %s%n", golden);
        int i = 0;
        for (TokenizerParity.CaseResult c : r.cases()) {
            String text = c.text().length() > 48 ? c.text().substring(0, 45) + "..." : c.text();
            out.printf(Locale.ROOT, "case %-3d %-50s %3d ids  %s%n", i++, '"' + text + '"', c.actualIds().length,
                    c.summary());
        }
        out.println(r.summary());
        return r.passed();
    }
}
