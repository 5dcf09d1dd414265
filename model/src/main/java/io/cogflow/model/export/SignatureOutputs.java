package io.cogflow.model.export;

import org.tensorflow.Result;
import org.tensorflow.Tensor;

import java.util.List;
import java.util.Optional;

/** The outputs of one signature call, by the signature's output names; closing it closes the tensors. */
public final class SignatureOutputs implements AutoCloseable {
    private final List<String> names;
    private final Result result;

    SignatureOutputs(List<String> names, Result result) {
        this.names = names;
        this.result = result;
    }

    public Optional<Tensor> get(String name) {
        int i = names.indexOf(name);
        return i < 0 ? Optional.empty() : Optional.of(result.get(i));
    }

    @Override
    public void close() {
        result.close();
    }
}
