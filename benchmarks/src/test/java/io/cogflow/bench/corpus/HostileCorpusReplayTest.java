package io.cogflow.bench.corpus;

import io.cogflow.job.JobConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 15's acceptance: the committed bad-input corpus, replayed by {@code cogflow bench corpus}'s own code
 * against a real broker and the job in a MiniCluster with the demo model and the default limits. Every record
 * gets exactly the answer the corpus names, nothing is answered twice, and the job never restarts.
 */
class HostileCorpusReplayTest {
    @TempDir
    Path work;

    static Path root() {
        Path p = Path.of(System.getProperty("cogflow.root", "..")).toAbsolutePath().normalize();
        return Files.isDirectory(p.resolve("testdata")) ? p : p.getParent();
    }

    @Test
    void everyRecordGetsItsOneAnswerAndTheJobNeverRestarts() throws Exception {
        List<CorpusRecord> corpus = CorpusFile.read(root().resolve("testdata/corpus/hostile-requests.jsonl"));
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(100);
        JobConfig config = JobConfig.parse("""
                checkpoint_interval_ms: 500
                batching: {defaults: {max_batch: 4, max_wait_ms: 300}}
                """).withModel(new JobConfig.Model(root().resolve("model/demo-model").toString(), 0));

        CorpusReplay.Report report = CorpusReplay.replayLocally(corpus, config, work.resolve("claims"),
                Duration.ofMinutes(8), Duration.ofSeconds(3), System.out::println);

        report.records().stream().filter(r -> r.answer() == null || r.mismatch()).forEach(r -> System.out.printf(
                "line %d %s: expected %s, got %s%n", r.record().line(), r.record().name(), r.record().expect(),
                r.answer() == null ? r.sendError() : r.answer()));
        report.extras().forEach(e -> System.out.println("extra: " + e));
        System.out.println(report.summary());
        assertThat(report.sent()).isEqualTo(corpus.size());
        assertThat(report.unanswered()).isZero();
        assertThat(report.mismatches()).isZero();
        assertThat(report.restarts()).as("the job's numRestarts, read from its Prometheus reporter").hasValue(0);
        assertThat(report.summary()).isEqualTo("corpus: sent=" + corpus.size() + " answered=" + corpus.size()
                + " unanswered=0 restarts=0 mismatches=0");
        // every kind of answer was exercised
        assertThat(report.records()).extracting(r -> r.answer().outcome())
                .contains(Outcome.RESULT, Outcome.REJECTED, Outcome.EXPIRED, Outcome.DEAD_LETTER);
    }
}
