package io.cogflow.bench.corpus;

import io.cogflow.schemas.DeadLetter;
import io.cogflow.schemas.GenerationResult;
import io.cogflow.schemas.Status;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class AnswersTest {
    private static Answers.Sent sent(long offset, String id, Outcome expect) {
        return new Answers.Sent(new CorpusRecord((int) offset + 1, "r" + offset, null, new byte[0], expect), 0,
                offset, id);
    }

    private static GenerationResult result(String id, Status status) {
        return GenerationResult.newBuilder().setRequestId(id).setStatus(status).setModelId("m")
                .setErrorCode(status == Status.REJECTED ? "BAD_STEPS" : null).setCreatedAt(Instant.EPOCH).build();
    }

    private static DeadLetter dead(String topic, long offset) {
        return DeadLetter.newBuilder().setTopic(topic).setPartition(0).setOffset(offset).setTimestamp(0)
                .setRawKey(null).setRawValue(ByteBuffer.allocate(0)).setError("garbage").setErrorClass("X").build();
    }

    @Test
    void deadLettersMatchByOffsetAndResultsById() {
        List<Answers.Sent> sent = List.of(sent(0, null, Outcome.DEAD_LETTER), sent(1, "a", Outcome.RESULT),
                sent(2, "b", Outcome.REJECTED), sent(3, "c", Outcome.RESULT));
        Answers.Matching m = Answers.match(sent, "req", List.of(dead("req", 0), dead("other-topic", 3)),
                List.of(result("b", Status.REJECTED), result("a", Status.SUCCEEDED)));

        assertThat(m.answers()).extracting(a -> a == null ? null : a.outcome())
                .containsExactly(Outcome.DEAD_LETTER, Outcome.RESULT, Outcome.REJECTED, null);
        assertThat(m.answers().get(2).detail()).isEqualTo("BAD_STEPS");
        assertThat(m.answered()).isEqualTo(3);
        assertThat(m.extras()).isEmpty();
    }

    /** Two records share an id: each takes one result, the one it expects first, whatever order they came in. */
    @Test
    void duplicateIdsTakeOneResultEach() {
        List<Answers.Sent> sent = List.of(sent(0, "dup", Outcome.RESULT), sent(1, "dup", Outcome.REJECTED));
        Answers.Matching m = Answers.match(sent, "req", List.of(),
                List.of(result("dup", Status.REJECTED), result("dup", Status.SUCCEEDED)));

        assertThat(m.answers()).extracting(Answers.Answer::outcome).containsExactly(Outcome.RESULT, Outcome.REJECTED);
        assertThat(m.extras()).isEmpty();
    }

    @Test
    void aRecordAnsweredTwiceLeavesAnExtra() {
        Answers.Matching m = Answers.match(List.of(sent(0, "x", Outcome.RESULT)), "req", List.of(dead("req", 0),
                dead("req", 0)), List.of(result("x", Status.SUCCEEDED), result("y", Status.SUCCEEDED)));

        assertThat(m.answers()).extracting(Answers.Answer::outcome).containsExactly(Outcome.DEAD_LETTER);
        assertThat(m.extras()).hasSize(3)
                .anyMatch(e -> e.startsWith("a second dead letter for req-0@0"))
                .anyMatch(e -> e.contains("request id 'x'"))
                .anyMatch(e -> e.contains("request id 'y'"));
    }
}
