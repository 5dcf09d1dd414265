package io.cogflow.cli;

import io.cogflow.bench.corpus.Answers;
import io.cogflow.bench.corpus.CorpusFile;
import io.cogflow.bench.corpus.CorpusRecord;
import io.cogflow.bench.corpus.CorpusReplay;
import io.cogflow.bench.corpus.Outcome;
import io.cogflow.job.JobConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/** {@code cogflow bench corpus}: replays raw records and checks that each gets its one answer. */
@Command(name = "corpus", mixinStandardHelpOptions = true,
        description = {"Replay a corpus of raw Kafka records (JSON lines: key_b64, value_b64, optional expect: "
                + "result, rejected, expired, failed or dead_letter; optional name) against the job: a local "
                + "broker and the job in a MiniCluster, or a running service with --bootstrap. Prints one line per "
                + "record and last 'corpus: sent=N answered=N unanswered=N restarts=N mismatches=N'. Exit 0 when "
                + "every record was answered once as expected and the job never restarted."})
final class BenchCorpus implements Callable<Integer> {
    @Option(names = "--file", required = true, description = "The corpus (testdata/corpus/hostile-requests.jsonl "
            + "is the committed one).")
    Path file;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--metrics-url", description = "With --bootstrap: the JobManager's Prometheus endpoint "
            + "(http://host:9249/metrics), to count the job's restarts (without it: restarts=unknown).")
    URI metricsUrl;

    @Option(names = "--model", description = "Local run: an exported model (default: the config's, else the bundled "
            + "demo model).")
    Path model;

    @Option(names = "--checkpoint-ms", defaultValue = "500",
            description = "Local run: checkpoint interval; answers become visible as checkpoints commit (default 500).")
    long checkpointMs;

    @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for every answer (default 600).")
    long timeoutSeconds;

    @Option(names = "--settle", defaultValue = "3",
            description = "Seconds to keep reading after the last answer, to catch a record answered twice (default 3).")
    long settleSeconds;

    @Option(names = "--work", defaultValue = "target/bench-corpus", description = "Local run: scratch folder "
            + "(claim-check store).")
    Path work;

    @Mixin
    JsonOutput json;

    /** The --json document. */
    record Result(Path file, String bootstrap, int sent, int answered, int unanswered, Long restarts, int mismatches,
                  List<Line> records, List<String> extras) {
    }

    /**
     * One record's fate.
     *
     * @param verdict {@code ok}, {@code mismatch}, {@code unanswered} or {@code not_sent}
     */
    record Line(int line, String name, Outcome expected, Outcome outcome, String detail, String verdict) {
    }

    @Override
    public Integer call() throws Exception {
        PrintWriter out = json.text();
        List<CorpusRecord> corpus = CorpusFile.read(file);
        Duration timeout = Duration.ofSeconds(timeoutSeconds);
        Duration settle = Duration.ofSeconds(settleSeconds);
        CorpusReplay.Report report;
        if (kafka.bootstrap != null) {
            report = new CorpusReplay(corpus, kafka.kafka(), timeout, settle, s -> status(out, s))
                    .replay(metricsUrl == null ? CorpusReplay.Restarts.UNKNOWN
                            : CorpusReplay.Restarts.fromPrometheus(metricsUrl));
        } else {
            Files.createDirectories(work);
            report = CorpusReplay.replayLocally(corpus, localConfig(), work.resolve("claims").toAbsolutePath(),
                    timeout, settle, s -> status(out, s));
        }
        List<Line> lines = report.records().stream().map(BenchCorpus::line).toList();
        for (Line l : lines) {
            out.printf(Locale.ROOT, "%5d %-10s %-36s expected %-11s got %-11s %s%n", l.line(), l.verdict(),
                    Printable.of(l.name()), l.expected() == null ? "any" : l.expected().wireName(),
                    l.outcome() == null ? "-" : l.outcome().wireName(), Printable.of(l.detail()));
        }
        for (String extra : report.extras()) {
            out.println("extra: " + Printable.of(extra));
        }
        out.println(report.summary());
        out.flush();
        json.result(new Result(file, kafka.bootstrap, report.sent(), report.answered(), report.unanswered(),
                report.restarts().isPresent() ? report.restarts().getAsLong() : null, report.mismatches(), lines,
                report.extras()));
        return report.passed() ? 0 : Cogflow.FAIL;
    }

    private static void status(PrintWriter out, String s) {
        out.println(s);
        out.flush();
    }

    /** The config's model, generation, batching and validation (configs/demo.yaml by default), run locally. */
    private JobConfig localConfig() {
        Path configFile = kafka.config == null ? RepositoryPaths.demoConfig() : kafka.config;
        JobConfig c = JobConfig.load(configFile);
        Path modelDir = model != null ? model : kafka.config == null ? RepositoryPaths.demoModel()
                : Path.of(c.model().dir());
        return JobConfig.parse("checkpoint_interval_ms: " + checkpointMs).withGeneration(c.generation())
                .withBatching(RepositoryPaths.repositoryRelative(c.batching())).withValidation(c.validation())
                .withDeadLetters(c.deadLetters())
                .withModel(new JobConfig.Model(modelDir.toString(), c.model().threads(), c.model().trustedKeys()));
    }

    private static Line line(CorpusReplay.RecordReport r) {
        CorpusRecord c = r.record();
        if (r.sent() == null) {
            return new Line(c.line(), c.name(), c.expect(), null, r.sendError(), "not_sent");
        }
        Answers.Answer a = r.answer();
        if (a == null) {
            return new Line(c.line(), c.name(), c.expect(), null, "", "unanswered");
        }
        return new Line(c.line(), c.name(), c.expect(), a.outcome(), a.detail(), r.mismatch() ? "mismatch" : "ok");
    }
}
