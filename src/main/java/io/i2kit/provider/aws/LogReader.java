package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import io.i2kit.provider.Provider;
import io.i2kit.provider.Reports;
import io.i2kit.provider.Waiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;
import software.amazon.awssdk.services.cloudwatchlogs.model.LogStream;

/**
 * A service's lines from CloudWatch Logs: group {@code /i2kit/<app>/<service>}, one stream per
 * instance and container ({@code <instance-id>/<container>}, {@code <instance-id>/init}), so the
 * lines of an instance that is gone are still there. Printed oldest first; with {@code follow},
 * polled until interrupted. The VMs ship in batches, so an event may arrive after newer ones were
 * shown: each poll looks {@link #LATE} back and skips the events it already showed.
 */
final class LogReader {
    /** How late an event may arrive and still be shown when following: the shippers' batching and CloudWatch's ingestion. */
    static final Duration LATE = Duration.ofMinutes(2);
    /** FilterLogEvents takes at most 100 stream names at once. */
    private static final int STREAMS_PER_CALL = 100;

    private final CloudWatchLogsClient logs;
    private final Duration poll;
    private final Clock clock;

    LogReader(CloudWatchLogsClient logs, Duration poll, Clock clock) {
        this.logs = logs;
        this.poll = poll;
        this.clock = clock;
    }

    void read(String group, Provider.LogsRequest request, Consumer<Reports.LogLine> lines) {
        requireGroup(group, request);
        Map<String, Long> shown = new LinkedHashMap<>();
        Optional<Long> from = request.since().map(Instant::toEpochMilli);
        show(fetch(group, request, from), shown, lines);
        if (!request.follow()) {
            return;
        }
        Waiter waiter = new Waiter(Duration.ofDays(365), poll, poll);
        waiter.await(() -> {
            long window = clock.millis() - LATE.toMillis();
            long start = Math.max(from.orElse(0L), window);
            show(fetch(group, request, Optional.of(start)), shown, lines);
            shown.values().removeIf(timestamp -> timestamp < window);
            return Thread.currentThread().isInterrupted() ? Waiter.Outcome.done(true) : Waiter.Outcome.retry("following");
        });
    }

    private void requireGroup(String group, Provider.LogsRequest request) {
        boolean exists = logs.describeLogGroupsPaginator(r -> r.logGroupNamePrefix(group)).logGroups().stream()
                .anyMatch(g -> g.logGroupName().equals(group));
        if (!exists) {
            throw new I2kitException("no log group " + group + ": service " + request.service() + " of "
                    + request.application() + " is not deployed here, or was deployed by an i2kit without central "
                    + "logs (i2kit up makes the group)");
        }
    }

    /** The events since {@code from}, of the container asked for, oldest first. */
    private List<FilteredLogEvent> fetch(String group, Provider.LogsRequest request, Optional<Long> from) {
        List<FilteredLogEvent> events = new ArrayList<>();
        if (request.container().isEmpty()) {
            events.addAll(filter(group, from, List.of()));
        } else {
            List<String> streams = streams(group, request.container().get());
            for (int i = 0; i < streams.size(); i += STREAMS_PER_CALL) {
                events.addAll(filter(group, from, streams.subList(i, Math.min(streams.size(), i + STREAMS_PER_CALL))));
            }
        }
        events.sort(Comparator.comparingLong(FilteredLogEvent::timestamp));
        return events;
    }

    private List<FilteredLogEvent> filter(String group, Optional<Long> from, List<String> streams) {
        FilterLogEventsRequest.Builder request = FilterLogEventsRequest.builder().logGroupName(group);
        from.ifPresent(request::startTime);
        if (!streams.isEmpty()) {
            request.logStreamNames(streams);
        }
        return logs.filterLogEventsPaginator(request.build()).events().stream().toList();
    }

    /** The streams of one container: {@code <instance-id>/<container>}. */
    private List<String> streams(String group, String container) {
        return logs.describeLogStreamsPaginator(r -> r.logGroupName(group)).logStreams().stream()
                .map(LogStream::logStreamName).filter(name -> name.endsWith("/" + container)).toList();
    }

    private static void show(List<FilteredLogEvent> events, Map<String, Long> shown, Consumer<Reports.LogLine> lines) {
        for (FilteredLogEvent e : events) {
            String id = e.eventId() != null ? e.eventId() : e.logStreamName() + "@" + e.timestamp() + "@" + e.message();
            if (shown.putIfAbsent(id, e.timestamp()) != null) {
                continue;
            }
            String stream = e.logStreamName();
            int slash = stream.lastIndexOf('/');
            String instance = slash < 0 ? stream : stream.substring(0, slash);
            String container = slash < 0 ? "" : stream.substring(slash + 1);
            lines.accept(new Reports.LogLine(instance, container, Optional.of(Instant.ofEpochMilli(e.timestamp())),
                    e.message()));
        }
    }
}
