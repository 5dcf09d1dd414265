package io.cogflow.job;

/** What the deserializer makes of one Kafka record: a request, or a dead letter — exactly one is set. */
public record Incoming(Job job, DeadLetterInfo deadLetter) {

    public static Incoming of(Job job) {
        return new Incoming(job, null);
    }

    public static Incoming dead(DeadLetterInfo d) {
        return new Incoming(null, d);
    }
}
