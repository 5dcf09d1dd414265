package io.cogflow.bench.corpus;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What became of a raw record on the requests topic — and, in a corpus file, what should: the job answers every
 * record with exactly one result or one dead letter.
 */
public enum Outcome {
    /** A SUCCEEDED result: the request was valid and generated. */
    RESULT,
    /** A REJECTED result: the request broke a limit (docs/limits.md). */
    REJECTED,
    /** An EXPIRED result: its deadline passed before it could be generated. */
    EXPIRED,
    /** A FAILED result: accepted, but the generation failed (e.g. non-finite output). */
    FAILED,
    /** A dead letter: the record was not a request the job could answer by id. */
    DEAD_LETTER;

    /** The name in corpus files and in the tool's output: {@code result}, {@code dead_letter}, … */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException naming the names there are */
    public static Outcome parse(String name) {
        for (Outcome o : values()) {
            if (o.wireName().equals(name)) {
                return o;
            }
        }
        throw new IllegalArgumentException("unknown expect '" + name + "': one of "
                + Arrays.stream(values()).map(Outcome::wireName).collect(Collectors.joining(", ")));
    }
}
