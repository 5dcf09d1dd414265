package io.cogflow.job;

import io.cogflow.client.RequestProducer;
import io.cogflow.connectors.claimcheck.ClaimCheckStores;
import io.cogflow.schemas.GenerationRequest;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.OutputFormat;
import io.cogflow.schemas.Status;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.testutils.InMemoryReporter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Continuous batching through the whole job (real broker, real MiniCluster, the plumbing model): the same
 * requests, with mixed sizes and step counts, sent in a trickle so that they join running sets mid-flight, make the
 * same videos as when each runs alone and as in fixed batches (within one 8-bit level: the frames are compared
 * losslessly, as PNG sheets); and after an injected generator failure, the requests in flight run again from the
 * start, with their seeds, and each still gets exactly one result.
 */
class ContinuousBatchingJobTest {
    private static final String[] SIZES = {"64x64x9", "128x128x17"};
    private static final int REQUESTS = 12;
    private static JobFixture fixture;

    @BeforeAll
    static void start() {
        fixture = new JobFixture();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    /** Mixed sizes and step counts, losslessly returned; the same list every time. */
    private static List<GenerationRequest> requests(String prefix) {
        Random random = new Random(18);
        List<GenerationRequest> out = new ArrayList<>();
        for (int i = 0; i < REQUESTS; i++) {
            GenerationRequest r = JobFixture.request(prefix + "-" + i, SIZES[i % SIZES.length], 1 + random.nextInt(6));
            r.setPrompt("a red circle moving left " + i); // the same prompt in every run, whatever the id
            r.setSeed(1000L + i);
            r.setOutputFormat(OutputFormat.PNG_SHEET);
            r.setPriority(i % 3 == 0 ? 5 : 0);
            out.add(r);
        }
        return out;
    }

    private static JobConfig config(String prefix, String batching) {
        return fixture.config(prefix).withBatching(JobConfig.parse("batching: " + batching).batching());
    }

    /** Runs the requests through a job, sent 150 ms apart; returns each one's sheet by index. */
    private static Map<Integer, BufferedImage> run(String prefix, JobConfig config, GeneratorFactory generators,
                                                   InMemoryReporter metrics, List<Integer> batchSizes)
            throws Exception {
        Configuration flink = metrics == null ? new Configuration() : metrics.addToConfiguration(new Configuration());
        try (LocalJob job = LocalJob.start(config, prefix, flink, generators);
             RequestProducer producer = new RequestProducer(fixture.broker().bootstrapServers(),
                     config.kafka().requestsTopic(), Map.of())) {
            for (GenerationRequest r : requests(prefix)) {
                producer.send(r);
                producer.flush();
                Thread.sleep(150);
            }
            JobFixture.Collected c = fixture.collect(config, REQUESTS, 0, Duration.ofMinutes(4));
            assertThat(c.duplicates()).as(prefix + ": duplicates").isZero();
            assertThat(c.results().values()).as(prefix + ": every request succeeded")
                    .allSatisfy(g -> assertThat(g.getStatus()).isEqualTo(Status.SUCCEEDED)).hasSize(REQUESTS);
            if (metrics != null) {
                assertThat(JobFixture.gaugeValues(metrics, job, "numRestarts")).as("the injected failure restarted "
                        + "the job").anyMatch(restarts -> restarts >= 1);
            }
            Map<Integer, BufferedImage> sheets = new HashMap<>();
            for (GenerationResult g : c.results().values()) {
                String id = g.getRequestId().toString();
                sheets.put(Integer.parseInt(id.substring(id.lastIndexOf('-') + 1)), sheet(g));
                batchSizes.add(g.getBatchSize());
            }
            return sheets;
        }
    }

    private static BufferedImage sheet(GenerationResult g) {
        // a sheet of noise from the plumbing model may be above the inline limit: then it is in the claim-check store
        ByteBuffer inline = g.getVideo().getInline();
        try {
            byte[] bytes;
            if (inline != null) {
                bytes = new byte[inline.remaining()];
                inline.duplicate().get(bytes);
            } else {
                bytes = ClaimCheckStores.fetch(URI.create(g.getVideo().getUri().toString()));
            }
            return ImageIO.read(new ByteArrayInputStream(bytes));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The largest difference of one colour channel between two sheets, in 8-bit levels. */
    private static int maxDifference(BufferedImage a, BufferedImage b) {
        assertThat(b.getWidth()).isEqualTo(a.getWidth());
        assertThat(b.getHeight()).isEqualTo(a.getHeight());
        int max = 0;
        for (int y = 0; y < a.getHeight(); y++) {
            for (int x = 0; x < a.getWidth(); x++) {
                int p = a.getRGB(x, y);
                int q = b.getRGB(x, y);
                for (int shift = 0; shift <= 16; shift += 8) {
                    max = Math.max(max, Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff)));
                }
            }
        }
        return max;
    }

    private static void assertSameVideos(Map<Integer, BufferedImage> expected, Map<Integer, BufferedImage> actual,
                                         String what) {
        for (int i = 0; i < REQUESTS; i++) {
            int diff = maxDifference(expected.get(i), actual.get(i));
            assertThat(diff).as(what + ": request " + i + " differs by " + diff + " levels").isLessThanOrEqualTo(1);
        }
    }

    @Test
    void aRequestMakesTheSameVideoAloneInAFixedBatchAndJoiningMidFlight() throws Exception {
        List<Integer> alone = new ArrayList<>();
        Map<Integer, BufferedImage> solo = run("cb-none", config("cb-none", "{policy: none}"),
                GeneratorFactory.TENSORFLOW, null, alone);
        List<Integer> fixedSizes = new ArrayList<>();
        Map<Integer, BufferedImage> fixed = run("cb-fixed", config("cb-fixed",
                "{policy: fixed, defaults: {max_batch: 4, max_wait_ms: 1500}}"), GeneratorFactory.TENSORFLOW, null,
                fixedSizes);
        List<Integer> joined = new ArrayList<>();
        JobConfig continuous = config("cb-cont", "{policy: continuous, defaults: {max_batch: 4, max_wait_ms: 0}}");
        continuous = continuous.withGeneration(continuous.generation().withRouting("bucket-affine"));
        Map<Integer, BufferedImage> cont = run("cb-cont", continuous, TestGenerators.slowedDownBy(40), null, joined);

        assertThat(alone).allMatch(b -> b == 1);
        assertThat(fixedSizes).anyMatch(b -> b > 1);
        // joined a running set: it shared a step with another request
        assertThat(joined).as("batch sizes under continuous batching").anyMatch(b -> b > 1);
        assertSameVideos(solo, fixed, "fixed batch against alone");
        assertSameVideos(solo, cont, "continuous against alone");
    }

    @Test
    void afterAGeneratorFailureTheRequestsInFlightRunAgainFromTheStart() throws Exception {
        List<Integer> sizes = new ArrayList<>();
        Map<Integer, BufferedImage> solo = run("cb-ref", config("cb-ref", "{policy: none}"),
                GeneratorFactory.TENSORFLOW, null, sizes);
        JobConfig continuous = config("cb-fail", "{policy: continuous, defaults: {max_batch: 4, max_wait_ms: 0}}");
        // fails inside a denoising step, with requests part-way through their steps
        Map<Integer, BufferedImage> replayed = run("cb-fail", continuous, TestGenerators.failingOnceAfter(2),
                InMemoryReporter.createWithRetainedMetrics(), new ArrayList<>());
        assertSameVideos(solo, replayed, "continuous with a restart against alone");
    }
}
