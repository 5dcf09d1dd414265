package io.cogflow.model.tokenizer;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * A byte trie over piece strings (UTF-8), walked one byte at a time like sentencepiece's piece index. Built with
 * {@link #add}, then {@link #freeze} packs the edges into sorted arrays (a 32k-piece T5 vocabulary is ~200k
 * edges: a few MB packed instead of tens as boxed map entries).
 */
final class PieceTrie {
    private Map<Long, Integer> building = new HashMap<>();
    private int[] values = {-1};
    private int nodes = 1;
    /** Node n's children are edges firstEdge[n] .. firstEdge[n+1]-1, sorted by label. */
    private int[] firstEdge;
    private byte[] edgeLabel;
    private int[] edgeTarget;

    void add(byte[] key, int value) {
        if (building == null) {
            throw new IllegalStateException("trie is frozen");
        }
        int node = 0;
        for (byte b : key) {
            long edge = ((long) node << 8) | (b & 0xff);
            Integer next = building.get(edge);
            if (next == null) {
                next = nodes++;
                building.put(edge, next);
                if (next >= values.length) {
                    int old = values.length;
                    values = Arrays.copyOf(values, old * 2);
                    Arrays.fill(values, old, values.length, -1);
                }
            }
            node = next;
        }
        if (values[node] < 0) { // sentencepiece rejects duplicates; keep the first if a file has them
            values[node] = value;
        }
    }

    PieceTrie freeze() {
        long[] edges = new long[building.size()];
        int i = 0;
        for (Map.Entry<Long, Integer> e : building.entrySet()) {
            // (parent, label) in the high bits sorts edges by parent then label; the child fits in 32 bits
            edges[i++] = (e.getKey() << 32) | e.getValue();
        }
        Arrays.sort(edges);
        firstEdge = new int[nodes + 1];
        edgeLabel = new byte[edges.length];
        edgeTarget = new int[edges.length];
        for (int k = 0; k < edges.length; k++) {
            int parent = (int) (edges[k] >>> 40);
            edgeLabel[k] = (byte) (edges[k] >>> 32);
            edgeTarget[k] = (int) edges[k];
            firstEdge[parent + 1]++;
        }
        for (int n = 0; n < nodes; n++) {
            firstEdge[n + 1] += firstEdge[n];
        }
        values = Arrays.copyOf(values, nodes);
        building = null;
        return this;
    }

    /** The child of {@code node} along byte {@code b}, or -1. The root is node 0. */
    int next(int node, byte b) {
        int lo = firstEdge[node];
        int hi = firstEdge[node + 1] - 1;
        int label = b & 0xff;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int l = edgeLabel[mid] & 0xff;
            if (l < label) {
                lo = mid + 1;
            } else if (l > label) {
                hi = mid - 1;
            } else {
                return edgeTarget[mid];
            }
        }
        return -1;
    }

    /** The value stored at {@code node}, or -1. */
    int value(int node) {
        return values[node];
    }

    boolean isEmpty() {
        return nodes == 1;
    }
}
