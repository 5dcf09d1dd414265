package io.cogflow.job;

/**
 * What the deserializer makes of one Kafka record: a request (with the facts of its record the validator checks),
 * or a dead letter — exactly one of request and deadLetter is set.
 */
public record Incoming(AcceptedRequest request, RecordFacts facts, DeadLetterInfo deadLetter) {

    public static Incoming of(AcceptedRequest request, RecordFacts facts) {
        return new Incoming(request, facts, null);
    }

    public static Incoming of(AcceptedRequest request) {
        return of(request, RecordFacts.NONE);
    }

    public static Incoming dead(DeadLetterInfo d) {
        return new Incoming(null, null, d);
    }
}
