package io.cogflow.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.cogflow.job.HostileCorpus.Entry;
import io.cogflow.job.HostileCorpus.Expect;
import io.cogflow.model.export.ModelManifest;
import io.cogflow.model.pipeline.VideoSize;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The committed hostile corpus ({@link HostileCorpus}): up to date with its generator, big enough, and each record
 * judged in process exactly as the job judges it with the default limits and the demo model — decode (size guard,
 * wire format), {@link RequestLimits}, the model's sizes, the deadline — gives the outcome it is committed with.
 */
class HostileCorpusTest {
    private static final Path ROOT = Path.of(System.getProperty("cogflow.root", ".."));
    private static final String REGENERATE = "mvn -o -q -pl flink-jobs -am test -Dtest=HostileCorpusTest "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dcogflow.corpus.regenerate=true";

    /** One committed line. */
    private record Line(String name, byte[] key, byte[] value, Expect expect) {
    }

    private static List<Entry> generated;

    @BeforeAll
    static void generate() throws IOException {
        generated = HostileCorpus.build();
        if (Boolean.getBoolean("cogflow.corpus.regenerate")) {
            HostileCorpus.main(new String[]{ROOT.resolve(HostileCorpus.FILE).toString()});
        }
    }

    @Test
    void theCommittedFileIsWhatTheGeneratorMakes() throws IOException {
        Path file = ROOT.resolve(HostileCorpus.FILE);
        assertThat(file).as("%s is missing; generate it with HostileCorpus.main(\"%s\") or: %s", HostileCorpus.FILE,
                HostileCorpus.FILE, REGENERATE).isRegularFile();
        byte[] committed = Files.readAllBytes(file);
        byte[] now = HostileCorpus.toJsonl(generated);
        assertThat(committed.length).as("file size").isLessThan(400 * 1024);
        assertThat(Arrays.equals(committed, now)).as("%s differs from what HostileCorpus generates (%s); "
                        + "regenerate it by running HostileCorpus.main with the argument %s from the repository root, "
                        + "or with: %s", HostileCorpus.FILE, firstDifference(committed, now), HostileCorpus.FILE,
                REGENERATE).isTrue();
    }

    @Test
    void theCorpusIsLargeNamedAndCoversEveryOutcome() throws IOException {
        List<Line> lines = read();
        assertThat(lines).hasSizeGreaterThanOrEqualTo(100);
        Set<String> names = new HashSet<>();
        Map<Expect, Integer> counts = new EnumMap<>(Expect.class);
        for (Line l : lines) {
            assertThat(l.name()).matches("[a-z0-9][a-z0-9.-]*");
            assertThat(names.add(l.name())).as("name %s is unique", l.name()).isTrue();
            counts.merge(l.expect(), 1, Integer::sum);
        }
        assertThat(counts.keySet()).containsExactlyInAnyOrder(Expect.values());
        assertThat(counts.get(Expect.RESULT)).isGreaterThanOrEqualTo(15);
        System.out.printf("hostile corpus: %d records, %s%n", lines.size(), counts);
    }

    @Test
    void everyRecordGetsTheOutcomeItIsCommittedWith() throws IOException {
        ModelManifest manifest = ModelManifest.read(ROOT.resolve("model/demo-model"));
        assertThat(manifest.sizes().stream().map(ModelManifest.Size::video).toList())
                .as("the demo model's sizes, which the corpus's valid requests target")
                .containsExactly(new VideoSize(64, 64, 17));
        RequestDecoder decoder = Requests.deserializer();
        RequestLimits limits = new RequestLimits(JobConfig.Validation.defaults());
        List<Line> lines = read();
        assertThat(lines).hasSameSizeAs(generated);
        List<String> wrong = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Line l = lines.get(i);
            Entry e = generated.get(i);
            assertThat(l.name()).isEqualTo(e.name());
            ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("cogflow.requests", 0, i, l.key(), l.value());
            String[] outcome;
            try {
                outcome = judge(decoder.decode(record), limits, manifest, System.currentTimeMillis());
            } catch (RuntimeException | Error x) {
                throw new AssertionError("record " + i + " (" + l.name() + ") threw: " + x, x);
            }
            boolean right = l.expect().wire.equals(outcome[0]) && (e.code() == null
                    || (l.expect() == Expect.DEAD_LETTER ? outcome[2].contains(e.code())
                    : e.code().equals(outcome[1])));
            String expected = l.expect().wire + (e.code() == null ? "" : " " + e.code());
            if (!right) {
                wrong.add(i + " " + l.name() + ": expected " + expected + ", got " + outcome[0]
                        + (outcome[1] == null ? "" : " " + outcome[1])
                        + (outcome[2] == null ? "" : " (" + outcome[2] + ")"));
            }
        }
        assertThat(wrong).as("records judged otherwise than committed").isEmpty();
    }

    /**
     * What the Validator does with a decoded record: dead letter; the limits, then the model's sizes (REJECTED);
     * the deadline (EXPIRED); else the request goes to a GPU and gets its result.
     *
     * @return the expect's wire name, the rejection code or null, and the rejection's or dead letter's message
     *     or null
     */
    private static String[] judge(Incoming in, RequestLimits limits, ModelManifest manifest, long now) {
        if (in.deadLetter() != null) {
            assertThat(in.deadLetter().error()).isNotBlank();
            return new String[]{Expect.DEAD_LETTER.wire, null, in.deadLetter().error()};
        }
        RequestLimits.Rejection problem = limits.check(in.request(), in.facts());
        if (problem == null) {
            try {
                manifest.size(in.request().size());
            } catch (IllegalArgumentException x) {
                problem = new RequestLimits.Rejection("UNSUPPORTED_SIZE", x.getMessage());
            }
        }
        if (problem != null) {
            assertThat(problem.code()).matches("[A-Z_]+");
            return new String[]{Expect.REJECTED.wire, problem.code(), problem.message()};
        }
        if (in.request().expiredAt(now)) {
            return new String[]{Expect.EXPIRED.wire, null, null};
        }
        in.request().toGeneration();  // what a GPU slot would be handed; must build
        return new String[]{Expect.RESULT.wire, null, null};
    }

    /** Where two versions of the file part: the line number and the name on it, not a dump of 300 KB. */
    private static String firstDifference(byte[] committed, byte[] generated) {
        String[] a = new String(committed, StandardCharsets.UTF_8).split("\n", -1);
        String[] b = new String(generated, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            if (!a[i].equals(b[i])) {
                int column = 0;
                while (column < Math.min(a[i].length(), b[i].length()) && a[i].charAt(column) == b[i].charAt(column)) {
                    column++;
                }
                return "first at line " + (i + 1) + " column " + (column + 1) + ": committed " + excerpt(a[i], column)
                        + ", generated " + excerpt(b[i], column);
            }
        }
        return "the committed file has " + a.length + " lines, the generator makes " + b.length;
    }

    private static String excerpt(String line, int from) {
        int start = Math.max(0, from - 20);
        return "…" + line.substring(start, Math.min(line.length(), from + 40)) + "…";
    }

    private static List<Line> read() throws IOException {
        ObjectMapper json = new ObjectMapper();
        Base64.Decoder b64 = Base64.getDecoder();
        List<Line> lines = new ArrayList<>();
        for (String s : Files.readAllLines(ROOT.resolve(HostileCorpus.FILE), StandardCharsets.UTF_8)) {
            JsonNode n = json.readTree(s);
            assertThat(n.size()).as("fields of %s", s.length() > 80 ? s.substring(0, 80) : s).isEqualTo(4);
            JsonNode key = n.get("key_b64");
            lines.add(new Line(n.get("name").asText(), key.isNull() ? null : b64.decode(key.asText()),
                    b64.decode(n.get("value_b64").asText()), Expect.ofWire(n.get("expect").asText())));
        }
        return lines;
    }
}
