package io.cogflow.training;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.cogflow.training.TwoStageTraining.Outcome;
import io.cogflow.training.TwoStageTraining.StageResult;

import java.io.IOException;

/**
 * {@code report.json}: what the last invocation did (rewritten by each), for people and scripts that look at a
 * work folder without running anything.
 */
final class TrainingReport {
    private TrainingReport() {
    }

    static void write(WorkFolder work, TrainingRecipe recipe, Outcome outcome) throws IOException {
        ObjectNode n = AtomicFiles.JSON.createObjectNode();
        n.put("recipe", recipe.name());
        n.put("fingerprint", recipe.fingerprint());
        n.put("complete", outcome.complete());
        n.put("seconds_this_invocation", outcome.seconds());
        for (StageResult s : outcome.stages()) {
            ObjectNode st = n.putObject(s.stage());
            st.put("steps", s.steps());
            st.put("total", s.total());
            s.metrics().forEach(st::put);
        }
        AtomicFiles.writeJson(work.report(), n);
    }
}
