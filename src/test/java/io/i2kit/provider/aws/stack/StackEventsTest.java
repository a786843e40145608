package io.i2kit.provider.aws.stack;

import static org.assertj.core.api.Assertions.assertThat;

import io.i2kit.provider.aws.stack.FakeCloudFormation.FakeStack;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StackEventsTest {
    private final FakeCloudFormation cfn = new FakeCloudFormation();

    @Test
    void eventsOfEarlierOperationsAreNeverReturned() {
        FakeStack stack = cfn.stack("s", "CREATE_COMPLETE");
        stack.event("Old", "AWS::SQS::Queue", "UPDATE_COMPLETE", null);
        StackEvents events = StackEvents.fromNow(cfn, stack.id, "s");

        assertThat(events.poll()).isEmpty();
        stack.event("New", "AWS::SQS::Queue", "UPDATE_IN_PROGRESS", null);
        assertThat(events.poll()).extracting(StackEvent::logicalId).containsExactly("New");
    }

    @Test
    void newEventsComeOldestFirstAcrossPagesAndOnlyOnce() {
        cfn.eventsPageSize = 2;
        FakeStack stack = cfn.stack("s", "UPDATE_COMPLETE");
        for (int i = 0; i < 30; i++) {
            stack.event("Old" + i, "AWS::SQS::Queue", "UPDATE_COMPLETE", null);
        }
        StackEvents events = StackEvents.fromNow(cfn, stack.id, "s");
        for (int i = 1; i <= 5; i++) {
            stack.event("R" + i, "AWS::SQS::Queue", "CREATE_COMPLETE", null);
        }
        long before = cfn.count("DescribeStackEvents");

        assertThat(events.poll()).extracting(StackEvent::logicalId).containsExactly("R1", "R2", "R3", "R4", "R5");
        // Five new events in pages of two: three pages, the third holding the last one seen; no older page read.
        assertThat(cfn.count("DescribeStackEvents") - before).isEqualTo(3);

        stack.event("R6", "AWS::SQS::Queue", "CREATE_COMPLETE", null);
        assertThat(events.poll()).extracting(StackEvent::logicalId).containsExactly("R6");
        assertThat(events.poll()).isEmpty();
        assertThat(events.seen()).extracting(StackEvent::logicalId).containsExactly("R1", "R2", "R3", "R4", "R5", "R6");
    }

    @Test
    void aStackWithoutEventsYetHasEveryEventFollowed() {
        FakeStack stack = cfn.stack("s", "REVIEW_IN_PROGRESS");
        stack.events.clear();
        StackEvents events = StackEvents.fromNow(cfn, stack.id, "s");
        stack.event("s", FakeCloudFormation.STACK_TYPE, "CREATE_IN_PROGRESS", "User Initiated");

        assertThat(events.poll()).singleElement().satisfies(e -> {
            assertThat(e.stackName()).isEqualTo("s");
            assertThat(e.status()).isEqualTo("CREATE_IN_PROGRESS");
            assertThat(e.reason()).contains("User Initiated");
            assertThat(e.message()).isEqualTo("s AWS::CloudFormation::Stack CREATE_IN_PROGRESS: User Initiated");
        });
    }

    @Test
    void theFirstFailureSkipsCancellationsAndLaterFailures() {
        List<StackEvent> events = List.of(
                event("A", "CREATE_IN_PROGRESS", null, 1),
                event("B", "CREATE_FAILED", "Resource creation cancelled", 2),
                event("C", "UPDATE_FAILED", "Resource update cancelled", 3),
                event("D", "CREATE_FAILED", "Invalid AMI", 4),
                event("E", "CREATE_FAILED", "later", 5),
                event("s", "ROLLBACK_COMPLETE", null, 6));

        assertThat(StackEvents.firstFailure(events)).map(StackEvent::logicalId).contains("D");
        assertThat(StackEvents.firstFailure(events.subList(0, 3))).isEmpty();
    }

    @Test
    void aFailureWithoutReasonStillCounts() {
        assertThat(StackEvents.firstFailure(List.of(event("A", "DELETE_FAILED", null, 1))))
                .map(StackEvent::logicalId).contains("A");
    }

    private static StackEvent event(String id, String status, String reason, int second) {
        return new StackEvent("s", id, "AWS::SQS::Queue", status, Optional.ofNullable(reason),
                Instant.ofEpochSecond(second));
    }
}
