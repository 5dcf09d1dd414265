package io.cogflow.job;

/** A record that could not be decoded, with where it came from and why — written to the dead-letter topic. */
public record DeadLetterInfo(String topic, int partition, long offset, long timestamp, byte[] key, byte[] value,
                             String error, String errorClass) {
}
