package io.cogflow.model.export;

import com.google.protobuf.ByteString;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

import java.util.Set;

/**
 * Marks the nodes of chosen signature scopes for XLA the way TensorFlow 1's {@code jit_scope} does:
 * {@code _XlaCompile=true} makes TensorFlow's clustering pass compile them even though the session's global JIT
 * is off, and {@code _XlaScope} keeps each signature in clusters of its own. Only marked nodes are compiled, so
 * one session (one copy of the weights) serves XLA and non-XLA signatures side by side. The feeds stay unmarked:
 * a placeholder is not an op XLA can compile.
 */
final class XlaMarks {
    static final String COMPILE = "_XlaCompile";
    static final String SCOPE = "_XlaScope";

    private XlaMarks() {
    }

    /** {@code graph} with every node under {@code scope/} (except placeholders) marked for XLA. */
    static GraphDef mark(GraphDef graph, Set<String> scopes) {
        if (scopes.isEmpty()) {
            return graph;
        }
        GraphDef.Builder b = graph.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeDef node = b.getNode(i);
            String scope = GraphScopes.topScope(node.getName());
            if (scopes.contains(scope) && !node.getOp().equals("Placeholder")) {
                b.setNode(i, node.toBuilder()
                        .putAttr(COMPILE, AttrValue.newBuilder().setB(true).build())
                        .putAttr(SCOPE, AttrValue.newBuilder().setS(ByteString.copyFromUtf8(scope)).build()));
            }
        }
        return b.build();
    }
}
