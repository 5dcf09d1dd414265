package io.cogflow.model.tokenizer;

import io.cogflow.parity.TokenizerParity;
import io.cogflow.model.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The parity runner behind {@code cogflow parity tokenizer}: passes on the golden set, reports a wrong case. */
class TokenizerParityTest {

    @Test
    void goldenSetPasses() {
        TokenizerParity.Report report = TokenizerParity.run(Golden.path("spm_tiny"),
                Golden.path("spm_tiny/golden.json"));
        assertThat(report.passed()).as(report.summary()).isTrue();
        assertThat(report.cases()).hasSizeGreaterThanOrEqualTo(6).allMatch(TokenizerParity.CaseResult::passed);
        assertThat(report.vocabSize()).isEqualTo(report.expectedVocabSize());
    }

    @Test
    void aWrongExpectationIsReportedPerCase(@TempDir Path dir) throws IOException {
        Path golden = dir.resolve("golden.json");
        Files.writeString(golden, """
                {"vocab_size": 999, "cases": [
                  {"text": "a red circle", "ids": [5, 35, 30]},
                  {"text": "a red circle", "ids": [5, 35, 31], "pieces": ["x"], "t5_ids_max16": [1]}
                ]}""");
        TokenizerParity.Report report = TokenizerParity.run(Golden.path("spm_tiny/spiece.model"), golden);
        assertThat(report.passed()).isFalse();
        assertThat(report.vocabSizeMatches()).isFalse();
        assertThat(report.cases().get(0).passed()).as(report.cases().get(0).summary()).isTrue();
        TokenizerParity.CaseResult bad = report.cases().get(1);
        assertThat(bad.idsMatch()).isFalse();
        assertThat(bad.piecesMatch()).isFalse();
        assertThat(bad.t5Matches()).isFalse();
        assertThat(bad.actualT5()).hasSize(16);
        assertThat(bad.summary()).contains("ids expected [5, 35, 31] got [5, 35, 30]");
        assertThat(report.failures()).isEqualTo(1);
    }
}
