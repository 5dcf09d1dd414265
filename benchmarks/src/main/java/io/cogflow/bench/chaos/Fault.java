package io.cogflow.bench.chaos;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/** What {@code cogflow bench chaos} does to the running service, one at a time. */
public enum Fault {
    /** {@code kill -9} of the TaskManager a generator subtask runs on, in the middle of the work; a replacement starts. */
    TM_KILL,
    /** The broker stopped and started again on the same log folders and address. */
    BROKER_RESTART,
    /** The generator throws an {@link Error} inside its next batch ({@link SignalledFailure}). */
    GENERATOR_ERROR;

    /** {@code tm-kill}, {@code broker-restart}. */
    public String optionName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static Fault parse(String name) {
        for (Fault f : values()) {
            if (f.optionName().equals(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "': one of "
                + Arrays.stream(values()).map(Fault::optionName).collect(Collectors.joining(", ")));
    }
}
