package io.cogflow.bench.corpus;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.job.JobConfig;
import io.cogflow.job.LocalJob;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.WireFormat;
import io.cogflow.schemas.WireFormatException;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Replays a corpus of raw records against the job ({@code cogflow bench corpus}): produces each record's bytes as
 * they are to the requests topic, reads results and dead letters (read_committed) until every record has its
 * answer or the time is up, matches answers to records ({@link Answers}) and compares them with what the corpus
 * expects. Against a running service ({@link #replay}) or against a local broker and the job in a MiniCluster
 * started for the purpose ({@link #replayLocally}). Users replay their own incidents with it; CI replays the
 * committed hostile corpus ({@code testdata/corpus/}).
 */
public final class CorpusReplay {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CorpusReplay.class);
    /** The job's restart count as Flink's Prometheus reporter names it (a job metric of the JobManager). */
    static final String RESTARTS_METRIC = "flink_jobmanager_job_numRestarts";
    /** What the producer may send: corpora hold records past every limit, up to what a broker takes. */
    static final int PRODUCER_MAX_REQUEST_BYTES = 64 << 20;

    /** Where the job's restart count comes from; empty when it cannot be known (a cluster without metrics). */
    public interface Restarts {
        Restarts UNKNOWN = OptionalLong::empty;

        OptionalLong count() throws IOException, InterruptedException;

        /**
         * The largest {@code numRestarts} a Prometheus endpoint reports; empty when the endpoint cannot be read
         * (the report says "unknown" rather than losing the replay's results).
         */
        static Restarts fromPrometheus(URI endpoint) {
            return () -> {
                try {
                    OptionalDouble v = PrometheusGauge.max(endpoint, RESTARTS_METRIC);
                    return v.isPresent() ? OptionalLong.of((long) v.getAsDouble()) : OptionalLong.empty();
                } catch (IOException e) {
                    LOG.warn("could not read the job's restarts from {}: {}", endpoint, e.toString());
                    return OptionalLong.empty();
                }
            };
        }
    }

    /**
     * @param sent      where the broker put it; null when it was not sent
     * @param sendError why it was not sent; null when it was
     * @param answer    null when none came
     */
    public record RecordReport(CorpusRecord record, Answers.Sent sent, String sendError, Answers.Answer answer) {
        /** Not sent, or answered otherwise than the corpus expects. Unanswered is counted apart. */
        public boolean mismatch() {
            if (sent == null) {
                return true;
            }
            return answer != null && record.expect() != null && answer.outcome() != record.expect();
        }
    }

    /** @param restarts empty when they could not be counted */
    public record Report(List<RecordReport> records, List<String> extras, OptionalLong restarts) {
        public int sent() {
            return (int) records.stream().filter(r -> r.sent() != null).count();
        }

        public int answered() {
            return (int) records.stream().filter(r -> r.answer() != null).count();
        }

        public int unanswered() {
            return sent() - answered();
        }

        /** Records not sent or answered otherwise than expected, and extra answers (a record answered twice). */
        public int mismatches() {
            return (int) records.stream().filter(RecordReport::mismatch).count() + extras.size();
        }

        /** Every record answered as expected, once, and the job never restarted (as far as it can be known). */
        public boolean passed() {
            return unanswered() == 0 && mismatches() == 0 && restarts.orElse(0) == 0;
        }

        /** The tool's last line: {@code corpus: sent=N answered=N unanswered=N restarts=N mismatches=N}. */
        public String summary() {
            return String.format(Locale.ROOT, "corpus: sent=%d answered=%d unanswered=%d restarts=%s mismatches=%d",
                    sent(), answered(), unanswered(),
                    restarts.isPresent() ? Long.toString(restarts.getAsLong()) : "unknown", mismatches());
        }
    }

    private final List<CorpusRecord> corpus;
    private final JobConfig.Kafka kafka;
    private final Duration timeout;
    private final Duration settle;
    private final Consumer<String> status;

    /**
     * @param kafka   the service's broker and topics, and the client properties to reach it with
     * @param timeout how long to wait for every answer, from the last send
     * @param settle  how long to keep reading after the last expected answer, to see any answer twice
     * @param status  progress lines for a person (sent, waiting, …)
     */
    public CorpusReplay(List<CorpusRecord> corpus, JobConfig.Kafka kafka, Duration timeout, Duration settle,
                        Consumer<String> status) {
        this.corpus = List.copyOf(corpus);
        this.kafka = kafka;
        this.timeout = timeout;
        this.settle = settle;
        this.status = status;
    }

    /** Against a running job: its answers are read from now on, so earlier traffic on the topics is left alone. */
    public Report replay(Restarts restarts) throws IOException, InterruptedException {
        return run(false, restarts);
    }

    /**
     * Starts a local broker (its own process) with fresh topics and the job in a MiniCluster in this JVM, with
     * {@code base}'s model, generation, batching, validation and checkpoint settings; replays; shuts both down.
     * The restart count comes from the job's own Prometheus reporter, on a free port.
     *
     * @param claims where the job writes videos too large for a record
     */
    public static Report replayLocally(List<CorpusRecord> corpus, JobConfig base, Path claims, Duration timeout,
                                       Duration settle, Consumer<String> status) throws Exception {
        status.accept("starting a local Kafka broker...");
        // the broker takes whatever a corpus holds (up to the producer's limit), so every record reaches the job
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0)
                .property("message.max.bytes", Integer.toString(PRODUCER_MAX_REQUEST_BYTES)).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null, null,
                    0, null);
            // one partition: the records reach the job in the corpus's order
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 1, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            int port = freePort();
            JobConfig config = base.withKafka(kafka)
                    .withResults(new JobConfig.Results(base.results().inlineLimitBytes(), claims.toUri().toString()))
                    .withMetrics(new JobConfig.Metrics(Integer.toString(port)));
            status.accept("broker " + broker.bootstrapServers() + " up; starting the job (model "
                    + config.model().dir() + ")...");
            try (LocalJob job = LocalJob.start(config, "cogflow-corpus")) {
                return new CorpusReplay(corpus, kafka, timeout, settle, status)
                        .run(true, Restarts.fromPrometheus(URI.create("http://127.0.0.1:" + port + "/metrics")));
            }
        }
    }

    private Report run(boolean fromBeginning, Restarts restarts) throws IOException, InterruptedException {
        Map<String, String> client = new HashMap<>(kafka.clientProperties());
        client.merge(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(PRODUCER_MAX_REQUEST_BYTES),
                (mine, dflt) -> mine);
        List<GenerationResult> results = new ArrayList<>();
        List<DeadLetter> deadLetters = new ArrayList<>();
        try (TopicReader<GenerationResult> resultReader = new TopicReader<>(GenerationResult.class,
                kafka.bootstrapServers(), kafka.resultsTopic(), kafka.clientProperties(), fromBeginning);
             TopicReader<DeadLetter> deadReader = new TopicReader<>(DeadLetter.class, kafka.bootstrapServers(),
                     kafka.deadLetterTopic(), kafka.clientProperties(), fromBeginning)) {
            Duration assign = Duration.ofSeconds(60);
            results.addAll(resultReader.pollUntilAssigned(assign));
            deadLetters.addAll(deadReader.pollUntilAssigned(assign));
            List<RecordReport> sent = send(client);
            List<Answers.Sent> acknowledged = sent.stream().map(RecordReport::sent).filter(s -> s != null).toList();
            status.accept(String.format(Locale.ROOT, "sent %d of %d records; waiting up to %d s for their answers...",
                    acknowledged.size(), corpus.size(), timeout.toSeconds()));
            long deadline = System.nanoTime() + timeout.toNanos();
            long settleUntil = Long.MAX_VALUE;
            long lastReport = System.nanoTime();
            while (System.nanoTime() < Math.min(deadline, settleUntil)) {
                results.addAll(resultReader.poll(Duration.ofMillis(200)));
                deadLetters.addAll(deadReader.poll(Duration.ofMillis(50)));
                long answered = Answers.match(acknowledged, kafka.requestsTopic(), deadLetters, results).answered();
                if (settleUntil == Long.MAX_VALUE && answered == acknowledged.size()) {
                    settleUntil = System.nanoTime() + settle.toNanos();
                }
                if (System.nanoTime() - lastReport > 10_000_000_000L) {
                    lastReport = System.nanoTime();
                    status.accept(answered + " of " + acknowledged.size() + " answered...");
                }
            }
            Answers.Matching m = Answers.match(acknowledged, kafka.requestsTopic(), deadLetters, results);
            List<RecordReport> reports = new ArrayList<>();
            int next = 0;
            for (RecordReport r : sent) {
                reports.add(r.sent() == null ? r : new RecordReport(r.record(), r.sent(), null, m.answers().get(next++)));
            }
            return new Report(reports, m.extras(), restarts.count());
        }
    }

    /** Produces every record, then waits for each acknowledgement; a record the broker refused is reported. */
    private List<RecordReport> send(Map<String, String> client) throws InterruptedException {
        WireFormat<GenerationRequest> wire = WireFormat.of(GenerationRequest.class);
        List<Future<RecordMetadata>> pending = new ArrayList<>();
        List<RecordReport> out = new ArrayList<>();
        try (RequestProducer producer = new RequestProducer(kafka.bootstrapServers(), kafka.requestsTopic(), client)) {
            for (CorpusRecord r : corpus) {
                pending.add(producer.sendRaw(r.key(), r.value()));
            }
            producer.flush();
            for (int i = 0; i < corpus.size(); i++) {
                CorpusRecord r = corpus.get(i);
                try {
                    RecordMetadata m = pending.get(i).get(60, TimeUnit.SECONDS);
                    out.add(new RecordReport(r, new Answers.Sent(r, m.partition(), m.offset(), requestId(wire, r)),
                            null, null));
                } catch (ExecutionException e) {
                    out.add(new RecordReport(r, null, String.valueOf(e.getCause()), null));
                } catch (TimeoutException e) {
                    out.add(new RecordReport(r, null, "not acknowledged within 60 s", null));
                }
            }
        }
        return out;
    }

    /** The id the job answers the record under, decoded as the job decodes it; null when it does not decode. */
    private static String requestId(WireFormat<GenerationRequest> wire, CorpusRecord r) {
        try {
            return wire.decode(r.value()).getRequestId().toString();
        } catch (WireFormatException | RuntimeException e) {
            return null;
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
