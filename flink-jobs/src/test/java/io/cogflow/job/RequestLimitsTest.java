package io.cogflow.job;

import io.cogflow.model.sampling.SamplerKind;
import io.cogflow.model.video.VideoFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Each limit of {@link RequestLimits}: just inside passes, just past it is REJECTED with its code. */
class RequestLimitsTest {
    private static final RequestLimits DEFAULTS = new RequestLimits(JobConfig.Validation.defaults());

    static AcceptedRequest request(String id, String prompt, String negative, int steps, double guidance, int fps,
                                   int priority) {
        return new AcceptedRequest(id, new AcceptedRequest.Prompt(prompt, negative),
                new AcceptedRequest.Clip(64, 64, 9, fps),
                new AcceptedRequest.Sampling(steps, guidance, false, 7, SamplerKind.DDIM),
                new AcceptedRequest.Delivery(VideoFormat.MP4, priority, 0, 0));
    }

    static AcceptedRequest valid() {
        return request("r-1", "a red circle", "", 25, 6, 8, 0);
    }

    private static String code(AcceptedRequest r) {
        return code(r, RecordFacts.NONE);
    }

    private static String code(AcceptedRequest r, RecordFacts f) {
        RequestLimits.Rejection x = DEFAULTS.check(r, f);
        return x == null ? null : x.code();
    }

    @Test
    void aPlainRequestPasses() {
        assertThat(DEFAULTS.check(valid(), RecordFacts.NONE)).isNull();
        assertThat(DEFAULTS.check(valid(), null)).isNull();
    }

    @Test
    void requestIdBytesAreLimited() {
        assertThat(code(request("x".repeat(256), "p", "", 25, 6, 8, 0))).isNull();
        assertThat(code(request("x".repeat(257), "p", "", 25, 6, 8, 0))).isEqualTo("BAD_REQUEST_ID");
        // 86 three-byte characters are 258 bytes: the limit is bytes, not characters
        assertThat(code(request("€".repeat(86), "p", "", 25, 6, 8, 0))).isEqualTo("BAD_REQUEST_ID");
        assertThat(code(request("€".repeat(85), "p", "", 25, 6, 8, 0))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"a b", "a\u0000b", "a\nb", "a\u00A0b", "a\u200Bb", "a\uFEFFb", "a\uFFFDb", "a\uE000b",
            "a\uD800b"})
    void requestIdsWithSpacesControlsOrReplacementCharactersAreRejected(String id) {
        RequestLimits.Rejection x = DEFAULTS.check(request(id, "p", "", 25, 6, 8, 0), RecordFacts.NONE);
        assertThat(x.code()).isEqualTo("BAD_REQUEST_ID");
        assertThat(x.message()).contains("U+").doesNotContain(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"r-1", "550e8400-e29b-41d4-a716-446655440000", "job/42:a.b_c@x+y=z", "リクエスト-1", "é́"})
    void printableIdsOfAnyScriptPass(String id) {
        assertThat(code(request(id, "p", "", 25, 6, 8, 0))).isNull();
    }

    @Test
    void theKeyMustBeEmptyOrTheRequestId() {
        assertThat(code(valid(), new RecordFacts(100, 3, true, 0, 0))).isNull();
        RequestLimits.Rejection x = DEFAULTS.check(valid(), new RecordFacts(100, 5, false, 0, 0));
        assertThat(x.code()).isEqualTo("KEY_MISMATCH");
        assertThat(x.message()).contains("5 bytes");
    }

    @Test
    void promptCharactersAndBytesAreLimitedAlsoForTheNegativePrompt() {
        assertThat(code(request("r", "a".repeat(2000), "", 25, 6, 8, 0))).isNull();
        assertThat(code(request("r", "a".repeat(2001), "", 25, 6, 8, 0))).isEqualTo("PROMPT_TOO_LONG");
        // 2000 emoji are 2000 characters (4000 UTF-16 units) and 8000 bytes: at both limits
        assertThat(code(request("r", "😀".repeat(2000), "", 25, 6, 8, 0))).isNull();
        assertThat(code(request("r", "😀".repeat(2000) + "a", "", 25, 6, 8, 0))).isEqualTo("PROMPT_TOO_LONG");
        assertThat(code(request("r", "p", "a".repeat(2001), 25, 6, 8, 0))).isEqualTo("NEGATIVE_PROMPT_TOO_LONG");
        assertThat(code(request("r", "p", "😀".repeat(2000) + "a", 25, 6, 8, 0)))
                .isEqualTo("NEGATIVE_PROMPT_TOO_LONG");
        RequestLimits bytesOnly = new RequestLimits(new JobConfig.Validation(0, 0, 0, 100, 0, 50, 0, 0, 0, 0, 0, 0));
        assertThat(bytesOnly.check(request("r", "€".repeat(34), "", 25, 6, 8, 0), null).message())
                .contains("102 bytes");
        assertThat(bytesOnly.check(request("r", "p", "€".repeat(17), 25, 6, 8, 0), null).code())
                .isEqualTo("NEGATIVE_PROMPT_TOO_LONG");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   ", "\t\n", "\u00A0\u00A0", "\u200B\u200C\u200D", "\u0000\u0001", "\uFEFF",
            "\u3164", "\u2800", "\u0301\u0301", "\u2060\u2028"})
    void visuallyEmptyPromptsAreRejected(String prompt) {
        assertThat(code(request("r", prompt, "", 25, 6, 8, 0))).isEqualTo("EMPTY_PROMPT");
    }

    @Test
    void clientMetadataEntriesAndBytesAreLimited() {
        assertThat(code(valid(), new RecordFacts(100, 0, true, 32, 4096))).isNull();
        assertThat(code(valid(), new RecordFacts(100, 0, true, 33, 10))).isEqualTo("METADATA_TOO_LARGE");
        assertThat(code(valid(), new RecordFacts(100, 0, true, 1, 4097))).isEqualTo("METADATA_TOO_LARGE");
    }

    @Test
    void theRecordSizeIsCheckedAgainWhenTheDeserializerRanWithOtherLimits() {
        assertThat(code(valid(), new RecordFacts(64 * 1024, 0, true, 0, 0))).isNull();
        assertThat(code(valid(), new RecordFacts(64 * 1024 + 1, 0, true, 0, 0))).isEqualTo("RECORD_TOO_LARGE");
    }

    @Test
    void stepsGuidanceFpsAndPriorityHaveRanges() {
        assertThat(code(request("r", "p", "", 100, 6, 8, 0))).isNull();
        assertThat(code(request("r", "p", "", 101, 6, 8, 0))).isEqualTo("BAD_STEPS");
        assertThat(code(request("r", "p", "", 0, 6, 8, 0))).isEqualTo("BAD_STEPS");
        assertThat(code(request("r", "p", "", 25, 30, 8, 0))).isNull();
        assertThat(code(request("r", "p", "", 25, 0, 8, 0))).isNull();
        for (double g : new double[]{30.001, -0.001, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThat(code(request("r", "p", "", 25, g, 8, 0))).as("guidance %s", g).isEqualTo("BAD_GUIDANCE");
        }
        assertThat(code(request("r", "p", "", 25, 6, 60, 0))).isNull();
        assertThat(code(request("r", "p", "", 25, 6, 61, 0))).isEqualTo("BAD_FPS");
        assertThat(code(request("r", "p", "", 25, 6, 0, 0))).isEqualTo("BAD_FPS");
        assertThat(code(request("r", "p", "", 25, 6, 8, -1000))).isNull();
        assertThat(code(request("r", "p", "", 25, 6, 8, 1001))).isEqualTo("BAD_PRIORITY");
        assertThat(code(request("r", "p", "", 25, 6, 8, Integer.MIN_VALUE))).isEqualTo("BAD_PRIORITY");
    }

    @Test
    void aSizeThatIsNotPositiveIsRejectedBeforeTheModelIsAsked() {
        AcceptedRequest r = valid();
        for (int[] size : new int[][]{{0, 64, 9}, {64, -64, 9}, {64, 64, 0}}) {
            AcceptedRequest bad = new AcceptedRequest(r.requestId(), r.prompt(),
                    new AcceptedRequest.Clip(size[0], size[1], size[2], 8), r.sampling(), r.delivery());
            assertThat(DEFAULTS.check(bad, null).code()).isEqualTo("UNSUPPORTED_SIZE");
        }
    }

    @Test
    void anUnknownFormatIsRejected() {
        AcceptedRequest r = valid();
        AcceptedRequest noFormat = new AcceptedRequest(r.requestId(), r.prompt(), r.clip(), r.sampling(),
                new AcceptedRequest.Delivery(null, 0, 0, 0));
        assertThat(DEFAULTS.check(noFormat, null).message()).contains("MP4, GIF, PNG_SHEET");
    }

    @Test
    void configuredLimitsApply() {
        RequestLimits strict = new RequestLimits(JobConfig.parse(
                "validation: {max_steps: 10, max_guidance: 12.5, max_fps: 24, max_request_id_bytes: 4}").validation());
        assertThat(strict.check(request("r", "p", "", 11, 6, 8, 0), null).code()).isEqualTo("BAD_STEPS");
        assertThat(strict.check(request("r", "p", "", 10, 12.6, 8, 0), null).code()).isEqualTo("BAD_GUIDANCE");
        assertThat(strict.check(request("r", "p", "", 10, 6, 25, 0), null).code()).isEqualTo("BAD_FPS");
        assertThat(strict.check(request("r-123", "p", "", 10, 6, 8, 0), null).code()).isEqualTo("BAD_REQUEST_ID");
        assertThat(strict.check(request("r", "p", "", 10, 12.5, 24, 0), null)).isNull();
    }

    @Test
    void aDeadlineAtOrBeforeNowHasPassedAndNoneNeverDoes() {
        AcceptedRequest r = valid();
        java.util.function.LongFunction<AcceptedRequest> due = d -> new AcceptedRequest(r.requestId(), r.prompt(),
                r.clip(), r.sampling(), new AcceptedRequest.Delivery(VideoFormat.MP4, 0, d, 0));
        assertThat(due.apply(1000).expiredAt(1000)).isTrue();
        assertThat(due.apply(1001).expiredAt(1000)).isFalse();
        assertThat(due.apply(-5).expiredAt(1000)).isTrue();
        assertThat(due.apply(Long.MIN_VALUE).expiredAt(1000)).isTrue();
        assertThat(due.apply(0).expiredAt(Long.MAX_VALUE)).isFalse();
    }
}
