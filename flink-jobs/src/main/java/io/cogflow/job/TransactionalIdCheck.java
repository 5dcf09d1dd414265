package io.cogflow.job;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionListing;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Refuses to start a job whose transactional-id prefix another running job writes with: the two would fence and
 * abort each other's transactions (issue 15: one delivered 1 of 40 results in 70 s). The brokers list every
 * transactional id with its state (ListTransactions, DescribeTransactions); a live writer is one that, under this
 * prefix, begins a new transaction while we watch — a new id, or an id whose transaction started again. A job that
 * stopped leaves its ids behind, and an ongoing transaction of a crashed one only times out: neither begins one,
 * so this job (its own redeployment) starts. Run by {@link SubmissionChecks} where the job is submitted.
 */
final class TransactionalIdCheck {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionalIdCheck.class);

    private TransactionalIdCheck() {
    }

    /** How long to watch: a live job begins transactions at every checkpoint; three of them, at least 3 s. */
    static Duration watchFor(JobConfig config) {
        return Duration.ofMillis(Math.max(3000, 3 * config.checkpointIntervalMs()));
    }

    /**
     * @param watch how long to watch the prefix's transactions when some exist: a live job begins one per
     *              checkpoint, so a few checkpoint intervals
     * @throws IllegalStateException when another job writes with the prefix
     */
    static void refuseIfInUse(JobConfig config, Admin admin, Duration watch) throws InterruptedException {
        JobConfig.Kafka k = config.kafka();
        String prefix = TransactionalIds.prefix(k) + "-";
        try {
            Map<String, Long> before = starts(admin, prefix);
            if (before.isEmpty()) {
                return;
            }
            Thread.sleep(watch.toMillis());
            Map<String, Long> after = starts(admin, prefix);
            List<String> begun = after.entrySet().stream()
                    .filter(e -> !before.containsKey(e.getKey()) || e.getValue() > before.get(e.getKey()))
                    .map(Map.Entry::getKey).toList();
            if (!begun.isEmpty()) {
                throw new IllegalStateException("the Kafka transactional-id prefix '" + TransactionalIds.prefix(k)
                        + "' is in use: another job began " + begun.size() + " transaction(s) with it in the last "
                        + watch.toSeconds() + " s (" + String.join(", ", begun.subList(0, Math.min(3, begun.size())))
                        + "). Two jobs with one prefix fence each other's transactions. Give this job its own "
                        + "kafka.transactional_id_prefix, or its own kafka.group_id and topics (the default prefix "
                        + "is derived from them), or stop the other job first");
            }
        } catch (ExecutionException | TimeoutException | org.apache.kafka.common.KafkaException e) {
            // e.g. no DESCRIBE permission on transactional ids: the check cannot be made, the job can still run
            LOG.warn("could not check whether transactional-id prefix '{}' is in use: {}", prefix, e.getMessage());
        }
    }

    /**
     * The prefix's transactional ids with when their current transaction began (0 when none is open, so a new
     * one shows as a later start). Transactions the broker no longer tracks are not listed.
     */
    private static Map<String, Long> starts(Admin admin, String prefix)
            throws ExecutionException, InterruptedException, TimeoutException {
        List<String> ids = admin.listTransactions().all().get(30, TimeUnit.SECONDS).stream()
                .map(TransactionListing::transactionalId).filter(id -> id.startsWith(prefix)).toList();
        Map<String, Long> starts = new TreeMap<>();
        if (ids.isEmpty()) {
            return starts;
        }
        for (Map.Entry<String, TransactionDescription> e : admin.describeTransactions(ids).all()
                .get(30, TimeUnit.SECONDS).entrySet()) {
            OptionalLong start = e.getValue().transactionStartTimeMs();
            starts.put(e.getKey(), start.orElse(0));
        }
        return starts;
    }
}
