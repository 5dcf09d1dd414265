package io.cogflow.model.tf;

import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;

import java.util.ArrayList;
import java.util.List;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SetConfig;

/**
 * The devices TensorFlow gives a session made with given {@link SessionOptions}: what it really runs on, as opposed
 * to what was asked (a CPU-only native library, or one without the CUDA libraries it needs, lists no GPU and runs
 * everything on the CPU — soft placement hides it). TensorFlow Java 1.1's {@code Session} has no device list, so
 * this opens an empty session of its own through the C API ({@code TF_SessionListDevices}); its devices are the
 * process's, the same a model session with these options gets.
 */
public final class Devices {

    /** @param type "CPU", "GPU", …; @param name such as {@code /job:localhost/replica:0/task:0/device:GPU:0} */
    public record Device(String name, String type) {
    }

    private Devices() {
    }

    public static List<Device> of(SessionOptions options) {
        TensorFlow.version(); // loads the native library
        byte[] config = options.toConfigProto().toByteArray();
        TF_Status status = TF_NewStatus();
        TF_Graph graph = TF_NewGraph();
        TF_SessionOptions opts = TF_NewSessionOptions();
        TF_Session session = null;
        try (BytePointer bytes = new BytePointer(config)) {
            TF_SetConfig(opts, bytes, config.length, status);
            status.throwExceptionIfNotOK();
            session = TF_NewSession(graph, opts, status);
            status.throwExceptionIfNotOK();
            TF_DeviceList list = TF_SessionListDevices(session, status);
            status.throwExceptionIfNotOK();
            try {
                List<Device> devices = new ArrayList<>();
                for (int i = 0, n = TF_DeviceListCount(list); i < n; i++) {
                    String name = TF_DeviceListName(list, i, status).getString();
                    status.throwExceptionIfNotOK();
                    String type = TF_DeviceListType(list, i, status).getString();
                    status.throwExceptionIfNotOK();
                    devices.add(new Device(name, type));
                }
                return List.copyOf(devices);
            } finally {
                TF_DeleteDeviceList(list);
            }
        } finally {
            if (session != null) {
                TF_CloseSession(session, status);
                TF_DeleteSession(session, status);
            }
            TF_DeleteSessionOptions(opts);
            TF_DeleteGraph(graph);
            TF_DeleteStatus(status);
        }
    }

    /** Whether any of {@code devices} is a GPU. */
    public static boolean anyGpu(List<Device> devices) {
        return devices.stream().anyMatch(d -> "GPU".equalsIgnoreCase(d.type()));
    }
}
