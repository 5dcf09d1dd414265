package io.cogflow.model.plan;

import java.util.Set;

/**
 * What kind of work a TensorFlow op type does, for the roofline. The FLOP formulas follow grappler's
 * {@code op_level_cost_estimator.cc} (2 FLOPs per multiply-add; element-wise ops per output element; pure data
 * movement costs bytes only; Reshape and Identity are free), with BatchMatMulV3 and Conv3D added, which grappler
 * does not know.
 */
enum OpClass {
    /** MatMul, BatchMatMul(V2, V3): 2·B·M·N·K at the product peak. */
    MATMUL,
    /** Conv2D, Conv3D: 2 · output elements · kernel volume · input channels, at the product peak. */
    CONV,
    /** Softmax: about 5 FLOPs per element (max, subtract, exp, sum, divide); reads its input three times. */
    SOFTMAX,
    /** One result per output element, at the vector peak; {@link #transcendental} ops count several FLOPs. */
    ELEMENTWISE,
    /** One FLOP per input element. */
    REDUCTION,
    /** Copies data: bytes only. */
    MEMORY,
    /** Views its input (Reshape, Identity, ExpandDims, Squeeze): no bytes, no FLOPs, output aliases input 0. */
    ALIAS,
    /** Holds or names data the step does not compute (constants, feeds, variables): free. */
    SOURCE,
    /** Orders other ops (NoOp): only the dispatch overhead. */
    CONTROL;

    /** FLOPs per element of a transcendental function: grappler's Eigen costs put exp, erf, tanh at several. */
    static final double TRANSCENDENTAL_FLOPS = 4;
    static final double SOFTMAX_FLOPS = 5;
    /**
     * Times a softmax reads its input, as the planner models TensorFlow's unfused kernel over long rows: a max
     * reduction, a sum-of-exp reduction and a normalising pass (three reads, one write: "four passes").
     */
    static final double SOFTMAX_INPUT_PASSES = 3;

    private static final Set<String> MATMULS = Set.of("MatMul", "BatchMatMul", "BatchMatMulV2", "BatchMatMulV3",
            "_FusedMatMul");
    private static final Set<String> CONVS = Set.of("Conv2D", "Conv3D", "_FusedConv2D");
    private static final Set<String> TRANSCENDENTAL = Set.of("Exp", "Erf", "Erfc", "Tanh", "Sigmoid", "Log",
            "Log1p", "Sin", "Cos", "Rsqrt", "Sqrt", "Pow", "Reciprocal", "Softplus", "Gelu", "Expm1");
    private static final Set<String> ELEMENTWISE_OPS = Set.of("Add", "AddV2", "Sub", "Mul", "RealDiv", "Div",
            "DivNoNan", "Neg", "Square", "SquaredDifference", "Maximum", "Minimum", "Cast", "BiasAdd", "Relu",
            "Abs", "Sign", "Select", "SelectV2", "Equal", "Greater", "Less", "GreaterEqual", "LessEqual",
            "LogicalAnd", "LogicalOr", "LogicalNot", "Floor", "Ceil", "Round", "ClipByValue", "AddN", "Fill",
            "ZerosLike", "OnesLike", "BroadcastTo", "Range");
    private static final Set<String> REDUCTIONS = Set.of("Mean", "Sum", "Max", "Min", "Prod", "ArgMax", "ArgMin",
            "All", "Any");
    private static final Set<String> MEMORY_OPS = Set.of("Transpose", "ConjugateTranspose", "ConcatV2", "Concat",
            "Split", "SplitV", "Slice", "StridedSlice", "Pack", "Unpack", "Tile", "Pad", "PadV2", "MirrorPad",
            "GatherV2", "Gather", "ResourceGather", "OneHot", "Reverse", "ReverseV2", "DepthToSpace",
            "SpaceToDepth", "Copy", "DeepCopy");
    private static final Set<String> ALIASES = Set.of("Reshape", "Identity", "ExpandDims", "Squeeze",
            "StopGradient", "Snapshot", "PreventGradient", "IdentityN", "EnsureShape");
    private static final Set<String> SOURCES = Set.of("Const", "Placeholder", "PlaceholderWithDefault",
            "VarHandleOp", "ReadVariableOp", "Shape", "ShapeN", "Size", "Rank");
    private static final Set<String> CONTROLS = Set.of("NoOp");

    /** The class of an op type, or null for a type the planner does not know. */
    static OpClass of(String type) {
        if (MATMULS.contains(type)) {
            return MATMUL;
        }
        if (CONVS.contains(type)) {
            return CONV;
        }
        if (type.equals("Softmax") || type.equals("LogSoftmax")) {
            return SOFTMAX;
        }
        if (ELEMENTWISE_OPS.contains(type) || TRANSCENDENTAL.contains(type)) {
            return ELEMENTWISE;
        }
        if (REDUCTIONS.contains(type)) {
            return REDUCTION;
        }
        if (MEMORY_OPS.contains(type)) {
            return MEMORY;
        }
        if (ALIASES.contains(type)) {
            return ALIAS;
        }
        if (SOURCES.contains(type)) {
            return SOURCE;
        }
        if (CONTROLS.contains(type)) {
            return CONTROL;
        }
        return null;
    }

    static boolean transcendental(String type) {
        return TRANSCENDENTAL.contains(type);
    }

    /** A product op: its operands and result take the compute type when the planner models one. */
    boolean product() {
        return this == MATMUL || this == CONV;
    }

    /** XLA fuses it with its element-wise neighbours. */
    boolean fusible() {
        return this == ELEMENTWISE || this == REDUCTION || this == SOFTMAX || this == MEMORY || this == ALIAS;
    }
}
