package io.cogflow.model.tf;

import io.cogflow.model.checkpoint.Checkpoint;
import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.checkpoint.ParameterSpec;
import io.cogflow.model.checkpoint.TensorInfo;
import io.cogflow.model.checkpoint.TorchLayout;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.ByteDataBuffer;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.AssignVariableOp;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.VarHandleOp;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat16;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The weights of one model as TensorFlow resource variables, one per {@link ParameterSpec}, in TF layout.
 * Values are assigned through a feed, one tensor at a time, so the graph stays small whatever the model size:
 * float32 arrays in TF layout through each variable's own feed ({@link #assignAll}), and a checkpoint
 * ({@link #load}) through feeds shared by the variables of a kind. A checkpoint is loaded as its stored bytes:
 * each tensor is read straight into a native tensor of the file's dtype (bf16 stays bf16) and put into TF layout
 * and the storage type by the graph (a Transpose and a Cast), so Java never widens or rearranges a weight and
 * loading holds at most one tensor, plus its transposed copy, at a time — for T5-XXL's 32128×4096 embedding
 * 263 MB in bf16, against the 1 GB of float32 arrays and native copies a widening Java path held.
 */
public final class ModelVariables {

    /**
     * @param feed    float32 values in TF layout, for {@link #assignAll}; {@code assign} narrows them to the storage
     *                type (these two keep their names, {@code <name>/feed} and {@code <name>/assign}, for graphs
     *                that are re-imported and assigned by name)
     * @param assigns the variable's assign from each checkpoint {@link Feed} used so far
     */
    private record Slot(ParameterSpec spec, VarHandleOp handle, Operand<? extends TType> stored,
                        Operand<TFloat32> value, Placeholder<TFloat32> feed, AssignVariableOp assign,
                        Map<Feed, AssignVariableOp> assigns) {
    }

    /**
     * One way values reach the variables: a placeholder of the source's type and any shape, the axis
     * permutation of a {@link TorchLayout} (null: none), and one cast to the storage type when the source's
     * differs. Shared by every variable of the same kind, so the graph grows by one assign per variable and not
     * by a feed, a transpose and a cast each.
     */
    private record Feed(Class<? extends TType> source, List<Integer> permutation) {
    }

    private record FeedOps(Placeholder<?> placeholder, Operand<? extends TType> value) {
    }

    /**
     * One variable as a saver sees it.
     *
     * @param key    a name unique within the graph: the parameter name, prefixed by the namespace if any
     * @param handle the resource handle
     * @param stored its value in the storage type
     */
    public record Variable(String key, ParameterSpec spec, Operand<?> handle, Operand<? extends TType> stored,
                           Class<? extends TType> storageType) {
    }

    private final String namespace;
    private final Class<? extends TType> storage;
    private final Ops scope;
    private final Map<String, Slot> slots = new LinkedHashMap<>();
    private final Map<Feed, FeedOps> feeds = new HashMap<>();

    public ModelVariables(Ops tf, Collection<ParameterSpec> specs) {
        this(tf, "", specs, TFloat32.class);
    }

    /**
     * @param namespace keeps several models apart in one graph (op names and resource shared names); empty for
     *                  a graph holding a single model
     * @param storage   {@code TFloat32}, or {@code TBfloat16} / {@code TFloat16} to halve weight memory. Values
     *                  are widened to float32 where a graph reads them through {@link #get}; an export in a lower
     *                  compute precision reads the stored values directly (the widening cast is then unused)
     */
    public ModelVariables(Ops tf, String namespace, Collection<ParameterSpec> specs,
                          Class<? extends TType> storage) {
        if (storage != TFloat32.class && storage != TBfloat16.class && storage != TFloat16.class) {
            throw new IllegalArgumentException("weights are stored as float32, bfloat16 or float16, not " + storage);
        }
        this.namespace = namespace;
        this.storage = storage;
        this.scope = (namespace.isEmpty() ? tf : tf.withSubScope(namespace)).withSubScope("weights");
        for (ParameterSpec spec : specs) {
            Ops named = scope.withSubScope(spec.name());
            Shape shape = Shape.of(spec.tfShape());
            VarHandleOp handle = named.withName("var").varHandleOp(storage, shape,
                    VarHandleOp.sharedName(key(spec.name())));
            Operand<? extends TType> stored = named.withName("read").readVariableOp(handle, storage);
            Placeholder<TFloat32> feed = named.withName("feed").placeholder(TFloat32.class,
                    Placeholder.shape(shape));
            Operand<TFloat32> value;
            AssignVariableOp assign;
            if (storage == TFloat32.class) {
                @SuppressWarnings("unchecked")
                Operand<TFloat32> f = (Operand<TFloat32>) stored;
                value = f;
                assign = named.withName("assign").assignVariableOp(handle, feed);
            } else {
                value = named.withName("widen").dtypes.cast(stored, TFloat32.class);
                assign = named.withName("assign").assignVariableOp(handle,
                        named.withName("narrow").dtypes.cast(feed, storage));
            }
            if (slots.put(spec.name(), new Slot(spec, handle, stored, value, feed, assign, new HashMap<>()))
                    != null) {
                throw new IllegalArgumentException("duplicate parameter " + spec.name());
            }
        }
    }

    private String key(String name) {
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    /** Every variable in spec order, for savers. */
    public List<Variable> variables() {
        return slots.values().stream().map(s -> new Variable(key(s.spec().name()), s.spec(), s.handle(), s.stored(),
                        storage))
                .toList();
    }

    /** The current value of a weight, for building graphs. */
    public Operand<TFloat32> get(String name) {
        Slot s = slots.get(name);
        if (s == null) {
            throw new IllegalArgumentException("model has no parameter '" + name + "'");
        }
        return s.value();
    }

    /** The current value of a weight a module declared, for building its ops. */
    public Operand<TFloat32> get(ParameterSpec spec) {
        return get(spec.name());
    }

    /**
     * Assigns every weight from a checkpoint after checking, before anything is assigned, that each expected
     * tensor is present with the expected shape and that the checkpoint holds nothing unexpected.
     */
    public void load(Session session, Checkpoint ckpt) {
        load(session, ckpt, List.of());
    }

    /**
     * As {@link #load(Session, Checkpoint)}, for a model that uses only part of a checkpoint: tensors under
     * {@code unusedPrefixes} (e.g. {@code "encoder."} when only a VAE's decoder is built) are expected and skipped.
     */
    public void load(Session session, Checkpoint ckpt, List<String> unusedPrefixes) {
        List<String> problems = new ArrayList<>();
        Map<String, String> sources = new LinkedHashMap<>();
        TreeSet<String> unexpected = new TreeSet<>(ckpt.names());
        unexpected.removeIf(name -> unusedPrefixes.stream().anyMatch(name::startsWith));
        for (Slot s : slots.values()) {
            ParameterSpec spec = s.spec();
            unexpected.remove(spec.name());
            spec.alternativeNames().forEach(unexpected::remove);
            List<String> present = new ArrayList<>();
            if (ckpt.contains(spec.name())) {
                present.add(spec.name());
            }
            spec.alternativeNames().stream().filter(ckpt::contains).forEach(present::add);
            if (present.isEmpty()) {
                problems.add("missing tensor '" + spec.name() + "'" + (spec.alternativeNames().isEmpty() ? ""
                        : " (or " + quoted(spec.alternativeNames()) + ")") + " (expected shape "
                        + Arrays.toString(spec.torchShape()) + ")");
                continue;
            }
            sources.put(spec.name(), present.get(0));
            // every copy present must fit, also the ones not read: a mis-shaped alias means a different model
            for (String name : present) {
                TensorInfo info = ckpt.info(name);
                if (!Arrays.equals(info.shape(), spec.torchShape())) {
                    problems.add("tensor '" + name + "' has shape " + info.shapeString() + ", expected "
                            + Arrays.toString(spec.torchShape()));
                } else if (!info.dtype().isFloating()) {
                    problems.add("tensor '" + name + "' is " + info.dtype() + ", expected a float type");
                }
            }
        }
        if (!unexpected.isEmpty()) {
            List<String> some = unexpected.stream().limit(5).toList();
            problems.add(unexpected.size() + " tensor(s) the config does not account for, e.g. " + some
                    + " (is the config.json from the same model?)");
        }
        if (!problems.isEmpty()) {
            throw new CheckpointException(ckpt.source() + ": checkpoint does not fit the model config:\n  - "
                    + String.join("\n  - ", problems));
        }
        Map<Slot, Feed> feedOf = new LinkedHashMap<>();
        for (Slot s : slots.values()) {
            TensorInfo info = ckpt.info(sources.get(s.spec().name()));
            feedOf.put(s, new Feed(TfTensors.floatType(info.dtype()), permutation(s.spec().layout())));
        }
        prepare(feedOf);
        for (Map.Entry<Slot, Feed> e : feedOf.entrySet()) {
            Slot s = e.getKey();
            String source = sources.get(s.spec().name());
            try (Tensor raw = TfTensors.uninitialised(e.getValue().source(),
                    s.spec().layout().permutableShape(s.spec().torchShape()))) {
                ByteDataBuffer bytes = raw.asRawTensor().data();
                ckpt.readRaw(source, (offset, chunk, length) -> bytes.offset(offset).write(chunk, 0, length));
                assign(session, s, e.getValue(), raw);
            }
        }
    }

    private static List<Integer> permutation(TorchLayout layout) {
        int[] p = layout.permutation();
        return p == null ? null : Arrays.stream(p).boxed().toList();
    }

    /**
     * Builds, before anything runs, every feed and assign op the coming assignments use. A graph may grow while
     * a session is open (TensorFlow extends the session's graph on the next run), but each extension re-reads
     * the whole graph: growing it one variable at a time made loading quadratic in the graph's size.
     */
    private void prepare(Map<Slot, Feed> feedOf) {
        feedOf.forEach((s, feed) -> {
            FeedOps ops = feeds.computeIfAbsent(feed, this::feedOps);
            s.assigns().computeIfAbsent(feed, f -> scope.withSubScope(s.spec().name())
                    .withName("assign_" + feedName(f)).assignVariableOp(s.handle(), ops.value()));
        });
    }

    /** Assigns one variable from a tensor fed through {@code feed} (prepared). */
    private void assign(Session session, Slot s, Feed feed, Tensor value) {
        session.runner().feed(feeds.get(feed).placeholder(), value).addTarget(s.assigns().get(feed)).run().close();
    }

    /** e.g. {@code bfloat16_10} for bf16 read through the permutation [1, 0]. */
    private static String feedName(Feed feed) {
        return TfTensors.typeName(feed.source()) + (feed.permutation() == null ? ""
                : "_" + feed.permutation().stream().map(String::valueOf).collect(Collectors.joining()));
    }

    private FeedOps feedOps(Feed feed) {
        Ops l = scope.withSubScope("load_" + feedName(feed));
        Placeholder<?> placeholder = l.withName("feed").placeholder(feed.source());
        Operand<? extends TType> value = placeholder;
        if (feed.permutation() != null) {
            int[] perm = feed.permutation().stream().mapToInt(Integer::intValue).toArray();
            value = l.withName("to_tf_layout").linalg.transpose(value, l.constant(perm));
        }
        if (feed.source() != storage) {
            value = l.withName("to_storage").dtypes.cast(value, storage);
        }
        return new FeedOps(placeholder, value);
    }

    private static String quoted(List<String> names) {
        return String.join(" or ", names.stream().map(n -> "'" + n + "'").toList());
    }

    /** Assigns every weight from a function of its spec (values in TF layout), e.g. random initialisation. */
    public void assignAll(Session session, Function<ParameterSpec, float[]> values) {
        for (Slot s : slots.values()) {
            float[] data = values.apply(s.spec());
            try (TFloat32 t = TfTensors.floats(s.spec().tfShape(), data)) {
                session.runner().feed(s.feed(), t).addTarget(s.assign()).run().close();
            }
        }
    }
}
