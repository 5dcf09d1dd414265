package io.cogflow.training;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one stage keeps in the work folder's {@code state/} to survive between invocations: its last checkpoint with
 * the step count and training seconds so far, and, once finished, its metrics.
 */
final class StageFiles {
    private final WorkFolder work;
    private final String stage;

    StageFiles(WorkFolder work, String stage) {
        this.work = work;
        this.stage = stage;
    }

    /** Restores the last checkpoint into {@code trainer}; false when there is none. */
    boolean resume(Trainer trainer) throws IOException {
        Path meta = work.checkpointMeta(stage);
        if (!Files.exists(meta)) {
            return false;
        }
        trainer.restoreState(work.checkpoint(stage), AtomicFiles.readJson(meta).path("steps").asInt());
        return true;
    }

    /** The step count of the last checkpoint; 0 when there is none. */
    int checkpointedSteps() throws IOException {
        Path meta = work.checkpointMeta(stage);
        return Files.exists(meta) ? AtomicFiles.readJson(meta).path("steps").asInt() : 0;
    }

    /** Training seconds of earlier invocations, as the last checkpoint recorded them. */
    double earlierSeconds() throws IOException {
        Path meta = work.checkpointMeta(stage);
        return Files.exists(meta) ? AtomicFiles.readJson(meta).path("seconds").asDouble() : 0;
    }

    /**
     * @param earlierSeconds training seconds before this invocation
     * @param started        when this invocation's training began ({@link System#nanoTime()}); the seconds recorded
     *                       include writing this checkpoint
     */
    void checkpoint(Trainer trainer, double earlierSeconds, long started) throws IOException {
        AtomicFiles.write(work.checkpoint(stage), trainer::saveState);
        ObjectNode n = AtomicFiles.JSON.createObjectNode();
        n.put("steps", trainer.steps());
        n.put("seconds", earlierSeconds + (System.nanoTime() - started) / 1e9);
        AtomicFiles.writeJson(work.checkpointMeta(stage), n);
    }

    /** The metrics of the finished stage, or null while it is not finished. */
    Map<String, Double> done() throws IOException {
        Path f = work.doneMarker(stage);
        if (!Files.exists(f)) {
            return null;
        }
        Map<String, Double> out = new LinkedHashMap<>();
        AtomicFiles.readJson(f).fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asDouble()));
        return out;
    }

    void markDone(Map<String, Double> metrics) throws IOException {
        AtomicFiles.writeJson(work.doneMarker(stage), metrics);
    }
}
