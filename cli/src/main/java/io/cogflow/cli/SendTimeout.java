package io.cogflow.cli;

import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bound on how long {@code cogflow submit} waits for the broker: without one the producer's defaults (two
 * minutes of delivery timeout, one minute blocked on metadata) make an unreachable cluster look like a hang.
 * A user's own values in {@code kafka.client_properties} win.
 */
record SendTimeout(long millis) {
    static SendTimeout of(int seconds) {
        if (seconds <= 0) {
            throw new IllegalArgumentException("--send-timeout must be at least 1 second, not " + seconds);
        }
        return new SendTimeout(seconds * 1000L);
    }

    Map<String, String> applyTo(Map<String, String> user) {
        Map<String, String> p = new LinkedHashMap<>(user);
        p.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(millis));
        p.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(millis));
        // the producer refuses delivery.timeout.ms < linger.ms + request.timeout.ms (default 30 s)
        try {
            long linger = Long.parseLong(p.getOrDefault(ProducerConfig.LINGER_MS_CONFIG, "5").trim());
            long delivery = Long.parseLong(p.get(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG).trim());
            p.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(Math.max(1, delivery - linger)));
        } catch (NumberFormatException e) {
            // a config-provider reference (${env:X}): only the producer knows the value; it checks the sum itself
        }
        return p;
    }
}
