package io.cogflow.bench.corpus;

/**
 * One raw record of a corpus file: the bytes to produce to the requests topic and, optionally, what the job should
 * make of them.
 *
 * @param line   where it is in the file (1-based), to find it again
 * @param name   the record's name in the file, or {@code line N} when it has none
 * @param key    the Kafka key; null for none
 * @param expect null when the file does not say: then any one answer is right
 */
public record CorpusRecord(int line, String name, byte[] key, byte[] value, Outcome expect) {
}
