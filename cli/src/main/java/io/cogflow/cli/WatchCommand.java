package io.cogflow.cli;

import io.cogflow.client.ResultVideos;
import io.cogflow.client.TopicReader;
import io.cogflow.client.claimcheck.VideoFetcher;
import io.cogflow.connectors.claimcheck.ClaimCheckStores;
import io.cogflow.connectors.claimcheck.StoreVideoFetcher;
import io.cogflow.job.JobConfig;
import io.cogflow.schemas.GenerationProgress;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Video;
import org.apache.flink.configuration.GlobalConfiguration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

/** {@code cogflow watch}. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Follow results (read_committed: each exactly once) and progress events, printing a line per "
                + "step and per result; optionally save the videos (inline or from the claim-check store). Control "
                + "characters in ids and messages are printed as \\uXXXX. Exits 1 when it timed out or a video "
                + "could not be saved."})
final class WatchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    KafkaOptions kafka;

    @Option(names = "--ids", split = ",", description = "Request ids to wait for (default: everything).")
    List<String> ids;

    @Option(names = "--count", defaultValue = "0", description = "Stop after this many results (0: no limit).")
    int count;

    @Option(names = "--save", description = "Save videos into this folder, as <request id>.<ext> (an id that is "
            + "not a plain name gets a sanitised name with a hash).")
    Path save;

    @Option(names = "--store", paramLabel = "URI", description = {"A claim-check store (results.claim_check_uri) "
            + "whose objects --save may read (repeatable; default: the --config's). A result pointing anywhere "
            + "else is not saved: its reference comes from the topic and is not trusted."})
    List<String> stores;

    @Option(names = "--flink-conf", paramLabel = "DIR", description = {"Flink configuration folder (its config.yaml) "
            + "for reading claim-check objects from an object store, e.g. s3.access-key, s3.secret-key, s3.endpoint; "
            + "file systems come from the classpath and from $FLINK_PLUGINS_DIR (default ./plugins). "
            + "Not needed for file: URIs."})
    Path flinkConf;

    @Option(names = "--from-beginning", description = "Read results already in the topic too.")
    boolean fromBeginning;

    @Option(names = "--timeout", defaultValue = "0", description = "Give up after this many seconds (0: never).")
    int timeoutSeconds;

    private int unsaved;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        JobConfig.Kafka k = kafka.kafka();
        Set<String> waiting = ids == null ? null : new LinkedHashSet<>(ids);
        Set<String> seen = new HashSet<>();
        long deadline = timeoutSeconds <= 0 ? Long.MAX_VALUE : System.nanoTime() + timeoutSeconds * 1_000_000_000L;
        if (save != null) {
            Files.createDirectories(save);
        }
        if (flinkConf != null) {
            ClaimCheckStores.initializeFileSystems(GlobalConfiguration.loadConfiguration(flinkConf.toString()));
        }
        VideoFetcher fetcher = save == null ? null : StoreVideoFetcher.of(storeLocations());
        try (TopicReader<GenerationResult> results = new TopicReader<>(GenerationResult.class, k.bootstrapServers(),
                k.resultsTopic(), k.clientProperties(), fromBeginning || waiting != null);
             TopicReader<GenerationProgress> progress = new TopicReader<>(GenerationProgress.class,
                     k.bootstrapServers(), k.progressTopic(), k.clientProperties(), false)) {
            while (System.nanoTime() < deadline) {
                for (GenerationProgress p : progress.poll(Duration.ofMillis(100))) {
                    String id = p.getRequestId().toString();
                    if (waiting == null || waiting.contains(id)) {
                        out.printf(Locale.ROOT, "%-36s %-14s %s%n", Printable.of(id), p.getStage(),
                                bar(p.getStep(), p.getSteps()));
                    }
                }
                for (GenerationResult r : results.poll(Duration.ofMillis(400))) {
                    String id = r.getRequestId().toString();
                    if (waiting != null && !waiting.contains(id) || !seen.add(id)) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "%-36s %-14s %s%n", Printable.of(id), r.getStatus(), describe(r, fetcher));
                    if (waiting != null) {
                        waiting.remove(id);
                    }
                }
                out.flush();
                if (waiting != null && waiting.isEmpty() || count > 0 && seen.size() >= count) {
                    return unsaved == 0 ? 0 : Cogflow.FAIL;
                }
            }
        }
        out.println("timed out" + (waiting == null ? "" : "; still waiting for " + Printable.of(waiting.toString())));
        return Cogflow.FAIL;
    }

    /** The stores --save reads from: --store, else the job config's, else none (inline videos only). */
    private List<String> storeLocations() {
        if (stores != null) {
            return stores;
        }
        String configured = kafka.config == null ? null : JobConfig.load(kafka.config).results().claimCheckUri();
        return configured == null || configured.isBlank() ? List.of() : List.of(configured);
    }

    private String describe(GenerationResult r, VideoFetcher fetcher) {
        if (r.getVideo() == null) {
            return Printable.of(r.getErrorCode() + ": " + r.getErrorMessage());
        }
        Video v = r.getVideo();
        String where = v.getInline() != null ? "inline" : Printable.of(v.getUri());
        String text = String.format(Locale.ROOT, "%dx%dx%d, %,d bytes %s, batch %d, %.0f ms", r.getWidth(),
                r.getHeight(), r.getFrames(), v.getSizeBytes(), where, r.getBatchSize(),
                r.getTimings() == null ? 0 : r.getTimings().getTotalMs());
        if (save != null) {
            // one hostile or broken result is reported on its line; it does not end the watch
            try {
                text += " -> " + ResultVideos.save(r, save, fetcher);
            } catch (Exception e) {
                unsaved++;
                text += " -> not saved: " + Printable.of(String.valueOf(e.getMessage()));
            }
        }
        return text;
    }

    private static String bar(int step, int steps) {
        int width = 20;
        int filled = steps == 0 ? 0 : width * step / steps;
        return "[" + "#".repeat(filled) + ".".repeat(width - filled) + "] " + step + "/" + steps;
    }
}
