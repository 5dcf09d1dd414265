package io.cogflow.model.export;

import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The batch sizes (rows) an XLA signature is compiled for, and the padding of other batches onto them.
 *
 * <p>XLA compiles a cluster once per input shape, and TensorFlow limits how many shapes it compiles: a cluster
 * compiled more than {@value #MAX_SHAPES} times with fewer than 50 runs per compile is marked "megamorphic"
 * for good, and every shape it has not compiled yet runs without XLA from then on
 * ({@code DeviceCompilationProfiler::ShouldBeMegamorphic}, TF 2.18). So a signature is compiled for at most
 * {@value #MAX_SHAPES} row counts spread over 1 … max, and a batch between two of them is padded with zero rows
 * to the next (rows are independent; the padding is dropped from the output). TensorFlow's lazy compilation also
 * compiles a new shape only on its {@value #CALLS_TO_COMPILE}nd run, so a warm-up runs each shape that often.
 */
final class XlaBatches {
    static final int MAX_SHAPES = 10;
    static final int CALLS_TO_COMPILE = 2;

    /** Per signature, the row counts warmed up (compiled); absent: not warmed up, batches run as they come. */
    private final ConcurrentMap<String, TreeSet<Integer>> compiled = new ConcurrentHashMap<>();

    /**
     * At most {@value #MAX_SHAPES} of {@code rows} (1 … max): 1, max, and the rest spread evenly between, so a
     * padded batch carries at most max/9 rows of padding.
     */
    static List<Integer> choose(List<Integer> rows) {
        TreeSet<Integer> all = new TreeSet<>(rows);
        if (all.size() <= MAX_SHAPES) {
            return List.copyOf(all);
        }
        int max = all.last();
        TreeSet<Integer> chosen = new TreeSet<>();
        chosen.add(all.first());
        for (int i = 1; i < MAX_SHAPES; i++) {
            int wanted = (int) Math.ceil((double) i * max / (MAX_SHAPES - 1));
            Integer at = all.ceiling(wanted);
            chosen.add(at == null ? max : at);
        }
        return List.copyOf(chosen);
    }

    void record(String signature, List<Integer> rows) {
        compiled.computeIfAbsent(signature, s -> new TreeSet<>()).addAll(rows);
    }

    /** The rows to run a batch of {@code rows} as: the smallest compiled count that holds it, else itself. */
    int padded(String signature, int rows) {
        TreeSet<Integer> set = compiled.get(signature);
        if (set == null) {
            return rows;
        }
        Integer at = set.ceiling(rows);
        return at == null ? rows : at;
    }
}
