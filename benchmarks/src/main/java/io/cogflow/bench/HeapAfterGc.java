package io.cogflow.bench;

import com.sun.management.GarbageCollectionNotificationInfo;

import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The heap that survives each garbage collection in this JVM, from the collectors' notifications: unlike "used",
 * which saws up and down with garbage, it shows what the process actually retains.
 */
public final class HeapAfterGc implements AutoCloseable {
    private final List<Runnable> removers = new ArrayList<>();
    private final Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP).map(p -> p.getName()).collect(Collectors.toSet());
    private volatile double lastMib = Double.NaN;
    private volatile double peakMib = Double.NaN;
    private volatile int collections;

    public HeapAfterGc() {
        NotificationListener listener = (n, handback) -> {
            if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                return;
            }
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
            long sum = 0;
            for (Map.Entry<String, MemoryUsage> e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                if (heapPools.contains(e.getKey())) {
                    sum += e.getValue().getUsed();
                }
            }
            double mib = sum / 1048576.0;
            synchronized (this) {
                lastMib = mib;
                peakMib = Double.isNaN(peakMib) ? mib : Math.max(peakMib, mib);
                collections++;
            }
        };
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener(listener, null, null);
                removers.add(() -> {
                    try {
                        emitter.removeNotificationListener(listener);
                    } catch (Exception ignored) {
                        // already gone
                    }
                });
            }
        }
    }

    /** MiB retained after the latest collection (NaN before the first). */
    public double lastMib() {
        return lastMib;
    }

    public double peakMib() {
        return peakMib;
    }

    public int collections() {
        return collections;
    }

    @Override
    public void close() {
        removers.forEach(Runnable::run);
    }
}
