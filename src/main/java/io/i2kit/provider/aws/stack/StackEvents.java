package io.i2kit.provider.aws.stack;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudformation.CloudFormationClient;
import software.amazon.awssdk.services.cloudformation.model.DescribeStackEventsResponse;

/**
 * The events of one stack from the moment an operation began: each {@link #poll()} returns only
 * events not returned before, oldest first. CloudFormation lists events newest first, so a poll
 * pages back only until the last event it has seen; events of earlier operations are never read
 * past the first page, nor replayed.
 */
final class StackEvents {
    /** Failures caused by another resource's failure; the cause is what a user needs to see. */
    private static final Set<String> CANCELLATIONS = Set.of("Resource creation cancelled", "Resource update cancelled");

    private final CloudFormationClient cfn;
    private final String stackId;
    private final String stackName;
    private final List<StackEvent> seen = new ArrayList<>();
    private String lastId;
    private Instant lastTime;

    private StackEvents(CloudFormationClient cfn, String stackId, String stackName, String lastId, Instant lastTime) {
        this.cfn = cfn;
        this.stackId = stackId;
        this.stackName = stackName;
        this.lastId = lastId;
        this.lastTime = lastTime;
    }

    /** Events after the newest one the stack has now; {@code stackId} keeps working once the stack is deleted. */
    static StackEvents fromNow(CloudFormationClient cfn, String stackId, String stackName) {
        try {
            DescribeStackEventsResponse first = cfn.describeStackEvents(r -> r.stackName(stackId));
            return first.stackEvents().stream().findFirst()
                    .map(e -> new StackEvents(cfn, stackId, stackName, e.eventId(), e.timestamp()))
                    .orElseGet(() -> new StackEvents(cfn, stackId, stackName, null, null));
        } catch (SdkException e) {
            throw StackException.of("reading the events of stack", stackName, e);
        }
    }

    /** The events that happened since the last poll, oldest first. */
    List<StackEvent> poll() {
        List<software.amazon.awssdk.services.cloudformation.model.StackEvent> fresh = new ArrayList<>();
        try {
            pages:
            for (DescribeStackEventsResponse page : cfn.describeStackEventsPaginator(r -> r.stackName(stackId))) {
                for (var event : page.stackEvents()) {
                    if (isAlreadySeen(event)) {
                        break pages;
                    }
                    fresh.add(event);
                }
            }
        } catch (SdkException e) {
            throw StackException.of("reading the events of stack", stackName, e);
        }
        if (fresh.isEmpty()) {
            return List.of();
        }
        lastId = fresh.get(0).eventId();
        lastTime = fresh.get(0).timestamp();
        Collections.reverse(fresh);
        List<StackEvent> events = fresh.stream().map(this::toEvent).toList();
        seen.addAll(events);
        return events;
    }

    /** Every event polled so far, oldest first. */
    List<StackEvent> seen() {
        return List.copyOf(seen);
    }

    /** The first failure since the operation began, ignoring the cancellations it caused. */
    Optional<StackEvent> firstFailure() {
        return firstFailure(seen);
    }

    static Optional<StackEvent> firstFailure(List<StackEvent> chronological) {
        return chronological.stream()
                .filter(StackEvent::isFailure)
                .filter(e -> e.reason().map(r -> !CANCELLATIONS.contains(r.strip())).orElse(true))
                .findFirst();
    }

    // An older timestamp also stops the walk, in case the last seen event is no longer listed.
    private boolean isAlreadySeen(software.amazon.awssdk.services.cloudformation.model.StackEvent event) {
        return lastId != null && (lastId.equals(event.eventId()) || event.timestamp().isBefore(lastTime));
    }

    private StackEvent toEvent(software.amazon.awssdk.services.cloudformation.model.StackEvent e) {
        return new StackEvent(stackName, e.logicalResourceId(), e.resourceType(), e.resourceStatusAsString(),
                Optional.ofNullable(e.resourceStatusReason()).filter(r -> !r.isBlank()), e.timestamp());
    }
}
