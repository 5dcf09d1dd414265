package io.cogflow.job;

import io.cogflow.model.video.VideoFormat;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The service's limit for every field of a request, checked before anything else looks at it (docs/limits.md):
 * a schema-valid request that is too big, hidden, or out of range gets a REJECTED result with a stable code, never
 * a crash and never a GPU slot. No Flink here, so tests and the fuzz test drive it directly.
 *
 * <p>Messages name sizes, limits and code points (U+0000), never the offending text: it is the client's, possibly
 * hostile, and results end up in logs and terminals.
 */
final class RequestLimits {
    /** Why a request is refused: a stable upper-case code and a message for people. */
    record Rejection(String code, String message) {
    }

    private final JobConfig.Validation v;

    RequestLimits(JobConfig.Validation limits) {
        this.v = limits;
    }

    /** The first limit the request breaks, or null; {@code facts} null: the record's facts are unknown. */
    Rejection check(AcceptedRequest r, RecordFacts facts) {
        Rejection x = facts == null ? null : recordSize(facts);
        if (x == null) {
            x = requestId(r.requestId());  // before the key: an id that was not UTF-8 is the clearer reason
        }
        if (x == null && facts != null) {
            x = keyAndMetadata(facts);
        }
        if (x == null) {
            x = prompt(r.prompt());
        }
        if (x == null) {
            x = sampling(r.sampling());
        }
        if (x == null) {
            x = clipAndDelivery(r);
        }
        return x;
    }

    /** A backstop: the deserializer dead-letters larger records unless it was built with other limits. */
    private Rejection recordSize(RecordFacts f) {
        if (f.valueBytes() > v.maxRecordBytes()) {
            return new Rejection("RECORD_TOO_LARGE", "the record has " + f.valueBytes() + " bytes, the limit is "
                    + v.maxRecordBytes());
        }
        return null;
    }

    private Rejection keyAndMetadata(RecordFacts f) {
        if (!f.keyMatchesId()) {
            return new Rejection("KEY_MISMATCH", "the Kafka record key (" + f.keyBytes() + " bytes) is neither "
                    + "empty nor the request id: results are keyed by the id, so they would land elsewhere");
        }
        if (f.metadataEntries() > v.maxMetadataEntries()) {
            return new Rejection("METADATA_TOO_LARGE", "client_metadata has " + f.metadataEntries()
                    + " entries, the limit is " + v.maxMetadataEntries());
        }
        if (f.metadataBytes() > v.maxMetadataBytes()) {
            return new Rejection("METADATA_TOO_LARGE", "client_metadata has " + f.metadataBytes()
                    + " bytes of keys and values, the limit is " + v.maxMetadataBytes());
        }
        return null;
    }

    private Rejection requestId(String id) {
        long bytes = TextChecks.utf8Bytes(id);
        if (bytes > v.maxRequestIdBytes()) {
            return new Rejection("BAD_REQUEST_ID", "the request id has " + bytes + " bytes, the limit is "
                    + v.maxRequestIdBytes());
        }
        int bad = TextChecks.firstBadIdCodePoint(id);
        if (bad == TextChecks.REPLACEMENT) {
            return new Rejection("BAD_REQUEST_ID", "the request id contains U+FFFD: it was not valid UTF-8 on the "
                    + "wire, or holds the replacement character");
        }
        if (bad >= 0) {
            return new Rejection("BAD_REQUEST_ID", "the request id contains " + TextChecks.codePointName(bad)
                    + "; an id is letters, digits, punctuation and symbols, without spaces or control characters");
        }
        return null;
    }

    private Rejection prompt(AcceptedRequest.Prompt p) {
        Rejection x = text("PROMPT_TOO_LONG", "prompt", p.text(), v.maxPromptChars(), v.maxPromptBytes());
        if (x == null && TextChecks.visuallyEmpty(p.text())) {
            x = new Rejection("EMPTY_PROMPT", "the prompt is empty or shows nothing (only spaces, invisible or "
                    + "control characters)");
        }
        if (x == null) {
            x = text("NEGATIVE_PROMPT_TOO_LONG", "negative prompt", p.negative(), v.maxNegativePromptChars(),
                    v.maxNegativePromptBytes());
        }
        return x;
    }

    /** Bytes first: counting them is cheap and bounds the code point count that follows. */
    private static Rejection text(String code, String what, String s, int maxChars, int maxBytes) {
        long bytes = TextChecks.utf8Bytes(s);
        if (bytes > maxBytes) {
            return new Rejection(code, "the " + what + " has " + bytes + " bytes (UTF-8), the limit is " + maxBytes);
        }
        int chars = TextChecks.characters(s);
        if (chars > maxChars) {
            return new Rejection(code, "the " + what + " has " + chars + " characters, the limit is " + maxChars);
        }
        return null;
    }

    private Rejection sampling(AcceptedRequest.Sampling s) {
        if (s.steps() < 1 || s.steps() > v.maxSteps()) {
            return new Rejection("BAD_STEPS", "steps must be between 1 and " + v.maxSteps() + ", got " + s.steps());
        }
        if (!Double.isFinite(s.guidance()) || s.guidance() < 0 || s.guidance() > v.maxGuidance()) {
            return new Rejection("BAD_GUIDANCE", "guidance must be a finite number from 0 to " + v.maxGuidance()
                    + ", got " + s.guidance());
        }
        return null;
    }

    private Rejection clipAndDelivery(AcceptedRequest r) {
        AcceptedRequest.Clip c = r.clip();
        if (c.width() < 1 || c.height() < 1 || c.frames() < 1) {
            // which positive sizes the model makes, only its manifest knows: the Validator asks it next
            return new Rejection("UNSUPPORTED_SIZE", "width, height and frames must be positive, got " + c.width()
                    + "x" + c.height() + "x" + c.frames());
        }
        int fps = c.fps();
        if (fps < 1 || fps > v.maxFps()) {
            return new Rejection("BAD_FPS", "fps must be between 1 and " + v.maxFps() + ", got " + fps);
        }
        int priority = r.delivery().priority();
        if (Math.abs((long) priority) > v.maxPriority()) {
            return new Rejection("BAD_PRIORITY", "priority must be between -" + v.maxPriority() + " and "
                    + v.maxPriority() + ", got " + priority);
        }
        if (r.delivery().format() == null) {
            return new Rejection("UNSUPPORTED_FORMAT", "output_format must be one of " + FORMATS);
        }
        return null;
    }

    /** The wire names of the formats the encoder writes. */
    private static final String FORMATS = Arrays.stream(VideoFormat.values()).map(f -> WireEnums.format(f).name())
            .collect(Collectors.joining(", "));
}
