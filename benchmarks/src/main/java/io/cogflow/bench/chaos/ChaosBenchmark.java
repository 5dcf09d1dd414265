package io.cogflow.bench.chaos;

import io.cogflow.client.RequestProducer;
import io.cogflow.client.TopicReader;
import io.cogflow.job.JobConfig;
import io.cogflow.job.RemoteJob;
import io.cogflow.localflink.FlinkProcess;
import io.cogflow.localflink.LocalFlinkCluster;
import io.cogflow.localkafka.LocalKafkaBroker;
import io.cogflow.model.pipeline.VideoSize;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The service under faults ({@code cogflow bench chaos}): a local broker (its own process), a standalone Flink
 * cluster of separate JobManager and TaskManager processes, the job jar submitted over REST. For each fault in
 * turn, requests go out at a steady rate; once some of them are answered the fault strikes; then every request of
 * that round is waited for. Results are read with {@code read_committed}, as consumers read them: each request's
 * result counts once, a second one is a duplicate. Recovery is the longest wait for a committed result from the
 * fault on.
 */
public final class ChaosBenchmark {
    /**
     * @param requests        requests over all faults (each fault gets its share)
     * @param taskManagers    TaskManager processes, each with {@code slots} slots
     * @param requestInterval the steady rate: one request per interval
     */
    public record Settings(JobConfig base, Path jobJar, List<Path> libraries, VideoSize size, int steps, int requests,
                           int taskManagers, int slots, List<Fault> faults, Duration requestInterval,
                           Duration timeout) {
        public Settings {
            if (faults.isEmpty()) {
                throw new IllegalArgumentException("at least one fault");
            }
            if (requests < faults.size() * 2) {
                throw new IllegalArgumentException("at least 2 requests per fault");
            }
            faults = List.copyOf(faults);
            libraries = List.copyOf(libraries);
        }
    }

    /** One fault's round. {@code recoveryMs}: the longest wait for a committed result from the fault on; -1: none. */
    public record Round(Fault fault, int sent, int results, int duplicates, int missing, long recoveryMs) {
    }

    public record Report(List<Round> rounds) {
        public int sent() {
            return rounds.stream().mapToInt(Round::sent).sum();
        }

        public int results() {
            return rounds.stream().mapToInt(Round::results).sum();
        }

        public int duplicates() {
            return rounds.stream().mapToInt(Round::duplicates).sum();
        }

        public int missing() {
            return rounds.stream().mapToInt(Round::missing).sum();
        }

        /** The last line: {@code chaos: sent=N results=N duplicates=N missing=N}. */
        public String summary() {
            return String.format(Locale.ROOT, "chaos: sent=%d results=%d duplicates=%d missing=%d", sent(), results(),
                    duplicates(), missing());
        }
    }

    private final Settings settings;
    private final PrintWriter out;
    private final Map<String, Integer> answered = new ConcurrentHashMap<>();
    /** When each request's first result was read, and when every result was (System.nanoTime). */
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final java.util.Queue<Long> resultTimes = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private volatile boolean reading = true;
    private Path signal;

    public ChaosBenchmark(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    public Report run() throws Exception {
        say("starting a local broker and a Flink cluster of 1 JobManager + " + settings.taskManagers()
                + " TaskManager processes...");
        // a killed or stopped broker's registration expires fast, so it is back in seconds
        try (LocalKafkaBroker broker = LocalKafkaBroker.builder().port(0).property("broker.session.timeout.ms", "4000")
                .property("broker.heartbeat.interval.ms", "1000").start();
             LocalFlinkCluster cluster = LocalFlinkCluster.builder().taskManagers(settings.taskManagers())
                     .slotsPerTaskManager(settings.slots()).libraries(settings.libraries()).start()) {
            JobConfig.Kafka kafka = new JobConfig.Kafka(broker.bootstrapServers(), null, null, null, null, null, null,
                    0, null);
            broker.createTopics(List.of(new NewTopic(kafka.requestsTopic(), 2, (short) 1),
                    new NewTopic(kafka.resultsTopic(), 1, (short) 1), new NewTopic(kafka.progressTopic(), 1, (short) 1),
                    new NewTopic(kafka.deadLetterTopic(), 1, (short) 1)));
            JobConfig config = settings.base().withKafka(kafka)
                    .withCheckpoints(new JobConfig.Checkpoints(cluster.checkpointsUri().toString()));
            Path signal = cluster.directory().resolve("generator-error.signal");
            RemoteJob job = settings.faults().contains(Fault.GENERATOR_ERROR)
                    ? RemoteJob.submit(config, "cogflow-chaos", cluster.restUrl(), settings.jobJar(),
                            List.of(benchmarksJar()), new SignalledFailure(signal.toString()))
                    : RemoteJob.submit(config, "cogflow-chaos", cluster.restUrl(), settings.jobJar());
            this.signal = signal;
            say("job " + job.jobId() + " on " + cluster.restUrl() + " (logs " + cluster.logDirectory() + ")");
            Thread reader = new Thread(() -> read(broker, kafka), "chaos-results");
            reader.setDaemon(true);
            reader.start();
            List<Round> rounds = new ArrayList<>();
            int per = settings.requests() / settings.faults().size();
            int extra = settings.requests() % settings.faults().size();
            try (RequestProducer producer = new RequestProducer(broker.bootstrapServers(), kafka.requestsTopic(),
                    Map.of())) {
                for (int i = 0; i < settings.faults().size(); i++) {
                    Fault f = settings.faults().get(i);
                    rounds.add(round(i, f, per + (i < extra ? 1 : 0), producer, broker, cluster, job));
                    Round r = rounds.get(rounds.size() - 1);
                    say(String.format(Locale.ROOT, "fault %-14s sent=%d results=%d duplicates=%d missing=%d "
                                    + "recovery=%s", f.optionName(), r.sent(), r.results(), r.duplicates(), r.missing(),
                            r.recoveryMs() < 0 ? "none" : String.format(Locale.ROOT, "%.1f s", r.recoveryMs() / 1e3)));
                }
            } finally {
                reading = false;
                reader.join(5_000);
                try {
                    job.cancel();
                } catch (Exception e) {
                    // the job may already have failed: nothing to cancel
                }
            }
            return new Report(rounds);
        }
    }

    private Round round(int index, Fault fault, int n, RequestProducer producer, LocalKafkaBroker broker,
                        LocalFlinkCluster cluster, RemoteJob job) throws Exception {
        List<String> ids = new ArrayList<>();
        long faultAt = 0;
        int strikeAfter = Math.max(1, n / 3);
        for (int i = 0; i < n; i++) {
            String id = "chaos-" + index + "-" + i;
            producer.send(GenerationRequest.newBuilder().setRequestId(id).setPrompt("a red circle moving left")
                    .setWidth(settings.size().width()).setHeight(settings.size().height())
                    .setFrames(settings.size().frames()).setSteps(settings.steps()).setSeed((long) i)
                    .setOutputFormat(OutputFormat.MP4).build());
            ids.add(id);
            if (faultAt == 0 && i + 1 >= strikeAfter && answered(ids) >= 1) {
                faultAt = strike(fault, broker, cluster, job);
            }
            Thread.sleep(settings.requestInterval().toMillis());
        }
        producer.flush();
        long deadline = System.nanoTime() + settings.timeout().toNanos();
        while (faultAt == 0 && answered(ids) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        if (faultAt == 0) {
            faultAt = strike(fault, broker, cluster, job);
        }
        while (answered(ids) < ids.size() && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        // a few checkpoints more: a duplicate would show now
        Thread.sleep(3_000);
        int results = (int) ids.stream().filter(answered::containsKey).count();
        int duplicates = ids.stream().mapToInt(id -> Math.max(0, answered.getOrDefault(id, 0) - 1)).sum();
        return new Round(fault, ids.size(), results, duplicates, ids.size() - results, longestWait(faultAt, ids));
    }

    /** Does the fault; returns when it struck (System.nanoTime). */
    private long strike(Fault fault, LocalKafkaBroker broker, LocalFlinkCluster cluster, RemoteJob job)
            throws Exception {
        long at = System.nanoTime();
        switch (fault) {
            case TM_KILL -> {
                FlinkProcess victim = cluster.taskManagerRunning(job.jobId().toString(), "generate");
                victim.kill();
                say("kill -9 " + victim.role() + " (pid " + victim.pid() + "); starting a replacement");
                // what a cluster manager (Kubernetes, YARN) does for a lost TaskManager
                cluster.startTaskManager();
            }
            case GENERATOR_ERROR -> {
                java.nio.file.Files.writeString(signal, "fail the next batch\n");
                say("the generator's next batch throws an Error");
            }
            case BROKER_RESTART -> {
                broker.stop();
                say("broker stopped; starting it again on the same log folders");
                broker.start();
            }
        }
        return at;
    }

    /** The jar {@link SignalledFailure} is in, shipped with the job so the cluster can load it. */
    private static Path benchmarksJar() {
        try {
            Path jar = Path.of(SignalledFailure.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!java.nio.file.Files.isRegularFile(jar)) {
                throw new IllegalStateException("the generator-error fault ships the benchmarks jar with the job, but "
                        + "the classes come from " + jar + ": run it through ./cogflow (mvn package builds the jar)");
            }
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The outage the fault caused, in ms: the longest wait for a committed result from the fault to the round's
     * last result (fault to the first, or between two). Not just fault to the next result: a checkpoint completed
     * just before a kill can still commit just after it. -1 when no result came after the fault.
     */
    private long longestWait(long faultAt, List<String> ids) {
        long last = ids.stream().map(arrivals::get).filter(java.util.Objects::nonNull).mapToLong(Long::longValue)
                .max().orElse(-1);
        List<Long> after = resultTimes.stream().filter(t -> t >= faultAt && t <= last).sorted().toList();
        if (after.isEmpty()) {
            return -1;
        }
        long longest = after.get(0) - faultAt;
        for (int i = 1; i < after.size(); i++) {
            longest = Math.max(longest, after.get(i) - after.get(i - 1));
        }
        return longest / 1_000_000;
    }

    private int answered(List<String> ids) {
        return (int) ids.stream().filter(answered::containsKey).count();
    }

    private void read(LocalKafkaBroker broker, JobConfig.Kafka kafka) {
        try (TopicReader<GenerationResult> results = new TopicReader<>(GenerationResult.class,
                broker.bootstrapServers(), kafka.resultsTopic(), Map.of(), true)) {
            while (reading) {
                try {
                    for (GenerationResult r : results.poll(Duration.ofMillis(200))) {
                        long now = System.nanoTime();
                        answered.merge(r.getRequestId().toString(), 1, Integer::sum);
                        arrivals.putIfAbsent(r.getRequestId().toString(), now);
                        resultTimes.add(now);
                    }
                } catch (RuntimeException e) {
                    // the broker is down: the reader retries with the next poll
                }
            }
        }
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
