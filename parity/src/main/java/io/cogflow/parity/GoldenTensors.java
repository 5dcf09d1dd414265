package io.cogflow.parity;

import io.cogflow.model.checkpoint.CheckpointException;
import io.cogflow.model.checkpoint.SafetensorsFile;
import io.cogflow.model.tensor.HostTensor;

/** Named tensors of a reference (golden) safetensors file. */
public final class GoldenTensors {
    private GoldenTensors() {
    }

    public static HostTensor read(SafetensorsFile file, String name) {
        require(file, name);
        return new HostTensor(file.info(name).shape(), file.readFloats(name));
    }

    static String require(SafetensorsFile file, String name) {
        if (!file.tensors().containsKey(name)) {
            throw new CheckpointException(file.path() + ": golden file has no '" + name + "' tensor (it has "
                    + file.tensors().keySet() + ")");
        }
        return name;
    }
}
