package io.i2kit.provider.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.i2kit.I2kitException;
import io.i2kit.provider.aws.stack.StackRequest;
import io.i2kit.provider.aws.stack.StackResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The service stacks of one up as one change, on stacks kept in memory: when one fails, the stacks
 * up updated are deployed again as they were, those it created are deleted, and the error says
 * what became of each.
 */
class StackRolloutTest {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /** Stacks in memory: each request's outcome is decided by the test; every call is recorded. */
    private static final class MemoryStacks implements StackRollout.Stacks {
        final Map<String, StackResult.Action> actions = new ConcurrentHashMap<>();
        final Set<String> failing = ConcurrentHashMap.newKeySet();
        final Set<String> refusingRollback = ConcurrentHashMap.newKeySet();
        final List<String> calls = Collections.synchronizedList(new ArrayList<>());

        @Override
        public StackResult deploy(StackRequest request) {
            calls.add("deploy " + request.stackName() + " " + request.parameters().get("ImageId"));
            if (failing.contains(request.stackName())) {
                throw new I2kitException("the update of " + service(request) + " was rolled back: 0/2 instances healthy");
            }
            StackResult.Action action = actions.getOrDefault(request.stackName(), StackResult.Action.UPDATED);
            Optional<StackRequest> before = action == StackResult.Action.UPDATED
                    ? Optional.of(request.withParameter("ImageId", "ami-old")) : Optional.empty();
            return new StackResult(request.stackName(), action, Map.of(), "UPDATE_COMPLETE", before);
        }

        @Override
        public void redeploy(StackRequest previous) {
            calls.add("redeploy " + previous.stackName() + " " + previous.parameters().get("ImageId"));
            if (refusingRollback.contains(previous.stackName())) {
                throw new I2kitException("updating stack " + previous.stackName() + " failed: Throttling");
            }
        }

        @Override
        public void delete(String stackName) {
            calls.add("delete " + stackName);
        }
    }

    private static StackRequest request(String service) {
        return StackRequest.of("i2kit-polls-" + service, "{}", Map.of("ImageId", "ami-new"))
                .withTags(Map.of("i2kit:service", service));
    }

    private static String service(StackRequest request) {
        return request.tags().get("i2kit:service");
    }

    private StackRollout rollout(MemoryStacks stacks) {
        return new StackRollout(stacks, new ParallelStacks(log::add), log::add);
    }

    @Test
    void whenOneStackFailsTheUpdatedOnesAreDeployedAgainAsTheyWereAndTheCreatedOnesDeleted() {
        MemoryStacks stacks = new MemoryStacks();
        stacks.actions.put("i2kit-polls-audit", StackResult.Action.CREATED);
        stacks.actions.put("i2kit-polls-db", StackResult.Action.UNCHANGED);
        stacks.failing.add("i2kit-polls-vote");

        assertThatThrownBy(() -> rollout(stacks).deploy(List.of(request("worker"), request("db"), request("audit"),
                request("vote"))))
                .isInstanceOf(I2kitException.class)
                .hasMessage("""
                        the update failed and every service stack it changed was rolled back:
                          worker: rolled back: i2kit-polls-worker deployed again as it was (ImageId ami-old) because the update of vote failed
                          audit: rolled back: i2kit-polls-audit, created by this up, deleted because the update of vote failed
                          vote: failed: the update of vote was rolled back: 0/2 instances healthy""");

        assertThat(stacks.calls).containsExactlyInAnyOrder("deploy i2kit-polls-worker ami-new", "deploy i2kit-polls-db ami-new",
                "deploy i2kit-polls-audit ami-new", "deploy i2kit-polls-vote ami-new",
                "redeploy i2kit-polls-worker ami-old", "delete i2kit-polls-audit");
        assertThat(log).contains("[i2kit-polls-worker] the update of vote failed: rolling back to what ran before");
    }

    @Test
    void aRollbackThatFailsSaysWhatTheStackRuns() {
        MemoryStacks stacks = new MemoryStacks();
        stacks.failing.add("i2kit-polls-vote");
        stacks.refusingRollback.add("i2kit-polls-worker");

        assertThatThrownBy(() -> rollout(stacks).deploy(List.of(request("result"), request("worker"), request("vote"))))
                .hasMessage("""
                        the update failed and 1 service stack could not be rolled back (the others were):
                          result: rolled back: i2kit-polls-result deployed again as it was (ImageId ami-old) because the update of vote failed
                          worker: NOT rolled back: i2kit-polls-worker runs this up's ImageId ami-new; it was updated, then the update of vote failed, and its rollback failed: updating stack i2kit-polls-worker failed: Throttling
                          vote: failed: the update of vote was rolled back: 0/2 instances healthy""");
    }

    @Test
    void whenEveryStackSucceedsNothingIsRolledBack() {
        MemoryStacks stacks = new MemoryStacks();
        stacks.actions.put("i2kit-polls-audit", StackResult.Action.CREATED);

        List<StackResult> results = rollout(stacks).deploy(List.of(request("vote"), request("audit")));

        assertThat(results).extracting(StackResult::action).containsExactly(StackResult.Action.UPDATED, StackResult.Action.CREATED);
        assertThat(stacks.calls).allMatch(call -> call.startsWith("deploy "));
    }
}
