package io.cogflow.model.export;

import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;

import java.util.Set;

/**
 * Pins whole name scopes to one device by setting each node's requested device. Used to keep the text encoder
 * (its signature's ops and its weights' handles, reads and restore) on the host CPU; the session's soft placement
 * still places everything else, on the GPU when there is one.
 */
final class DevicePlacement {
    static final String CPU = "/device:CPU:0";

    private DevicePlacement() {
    }

    static GraphDef place(GraphDef graph, Set<String> scopes, String device) {
        if (scopes.isEmpty()) {
            return graph;
        }
        GraphDef.Builder b = graph.toBuilder();
        for (int i = 0; i < b.getNodeCount(); i++) {
            NodeDef node = b.getNode(i);
            if (scopes.contains(GraphScopes.topScope(node.getName()))) {
                b.setNode(i, node.toBuilder().setDevice(device));
            }
        }
        return b.build();
    }
}
