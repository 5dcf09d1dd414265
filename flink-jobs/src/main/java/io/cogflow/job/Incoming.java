package io.cogflow.job;

/** What the deserializer makes of one Kafka record: a request, or a dead letter — exactly one is set. */
public record Incoming(AcceptedRequest request, DeadLetterInfo deadLetter) {

    public static Incoming of(AcceptedRequest request) {
        return new Incoming(request, null);
    }

    public static Incoming dead(DeadLetterInfo d) {
        return new Incoming(null, d);
    }
}
