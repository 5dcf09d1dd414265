package io.cogflow.bench.corpus;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationResult;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which answer belongs to which produced record. A dead letter names the record it came from (topic, partition,
 * offset), so it matches exactly. A result names only the request id, as the job decoded it: results are matched
 * to the records with that id, and when several records share one (a duplicate submission) a result goes first to
 * a record that expects its status. Whatever is left over is an extra answer — a record answered twice.
 */
public final class Answers {
    private Answers() {
    }

    /**
     * A record the broker acknowledged.
     *
     * @param requestId the id the job will answer under (the record decoded as a request), or null when the
     *                  record does not decode: then only a dead letter can answer it
     */
    public record Sent(CorpusRecord record, int partition, long offset, String requestId) {
    }

    /** @param detail the result's error code and message, or the dead letter's error; empty for a plain success */
    public record Answer(Outcome outcome, String detail) {
    }

    /**
     * @param answers one per sent record, in order; null where none came
     * @param extras  answers no record was left to take, described
     */
    public record Matching(List<Answer> answers, List<String> extras) {
        public long answered() {
            return answers.stream().filter(a -> a != null).count();
        }
    }

    public static Matching match(List<Sent> sent, String topic, List<DeadLetter> deadLetters,
                                 List<GenerationResult> results) {
        List<Answer> answers = new ArrayList<>();
        List<String> extras = new ArrayList<>();
        Map<String, Deque<DeadLetter>> dead = new HashMap<>();
        for (DeadLetter d : deadLetters) {
            if (d.getTopic().toString().equals(topic)) {
                dead.computeIfAbsent(d.getPartition() + "@" + d.getOffset(), k -> new ArrayDeque<>()).add(d);
            }
        }
        Map<String, List<GenerationResult>> byId = new LinkedHashMap<>();
        for (GenerationResult r : results) {
            byId.computeIfAbsent(r.getRequestId().toString(), k -> new ArrayList<>()).add(r);
        }
        List<Integer> byResult = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            Sent s = sent.get(i);
            Deque<DeadLetter> d = dead.get(s.partition() + "@" + s.offset());
            if (d != null && !d.isEmpty()) {
                answers.add(new Answer(Outcome.DEAD_LETTER, d.poll().getError().toString()));
            } else {
                answers.add(null);
                if (s.requestId() != null) {
                    byResult.add(i);
                }
            }
        }
        // first every record that expects what one of its id's results says, then the rest in order
        for (boolean exact : new boolean[]{true, false}) {
            for (int i : byResult) {
                Sent s = sent.get(i);
                List<GenerationResult> pool = byId.get(s.requestId());
                if (answers.get(i) != null || pool == null) {
                    continue;
                }
                for (Iterator<GenerationResult> it = pool.iterator(); it.hasNext(); ) {
                    GenerationResult r = it.next();
                    Outcome o = outcome(r);
                    if (!exact || o == s.record().expect()) {
                        answers.set(i, new Answer(o, detail(r)));
                        it.remove();
                        break;
                    }
                }
            }
        }
        dead.values().forEach(left -> left.forEach(d -> extras.add("a second dead letter for " + d.getTopic()
                + "-" + d.getPartition() + "@" + d.getOffset() + ": " + d.getError())));
        byId.forEach((id, left) -> left.forEach(r -> extras.add("a result no record was left for, request id '" + id
                + "': " + outcome(r).wireName() + " " + detail(r))));
        return new Matching(answers, extras);
    }

    static Outcome outcome(GenerationResult r) {
        return switch (r.getStatus()) {
            case SUCCEEDED -> Outcome.RESULT;
            case REJECTED -> Outcome.REJECTED;
            case EXPIRED -> Outcome.EXPIRED;
            case FAILED -> Outcome.FAILED;
        };
    }

    private static String detail(GenerationResult r) {
        String code = r.getErrorCode() == null ? "" : r.getErrorCode().toString();
        String message = r.getErrorMessage() == null ? "" : r.getErrorMessage().toString();
        return (code + (code.isEmpty() || message.isEmpty() ? "" : ": ") + message).strip();
    }
}
