package io.cogflow.cli;

import io.cogflow.schemas.GenerationRequest;
import org.apache.kafka.clients.producer.RecordMetadata;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/**
 * Waits for the broker's acknowledgement of every request {@code submit} sent and prints the id of each one that
 * arrived; any that did not is an error naming how many and the first cause, so a script never mistakes a request
 * lost to an unreachable or refusing cluster for a submitted one.
 */
final class Acknowledgements {
    private Acknowledgements() {
    }

    static void await(List<GenerationRequest> requests, List<Future<RecordMetadata>> sent, String bootstrap,
                      int timeoutSeconds, PrintWriter out) throws InterruptedException {
        List<String> failed = new ArrayList<>();
        Throwable first = null;
        for (int i = 0; i < requests.size(); i++) {
            String id = requests.get(i).getRequestId().toString();
            try {
                sent.get(i).get(); // bounded: the producer fails the future after delivery.timeout.ms
                out.println(Printable.of(id));
            } catch (ExecutionException e) {
                failed.add(id);
                first = first == null ? e.getCause() : first;
            }
        }
        if (!failed.isEmpty()) {
            String cause = first.getMessage() == null ? first.getClass().getSimpleName() : first.getMessage();
            throw new IllegalStateException(failed.size() + " of " + requests.size() + " requests were not "
                    + "acknowledged by " + bootstrap + " within " + timeoutSeconds + " s (first: "
                    + Printable.of(failed.get(0)) + "): " + Printable.of(cause));
        }
    }
}
