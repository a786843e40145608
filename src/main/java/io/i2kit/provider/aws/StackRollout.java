package io.i2kit.provider.aws;

import io.i2kit.I2kitException;
import io.i2kit.provider.aws.stack.StackRequest;
import io.i2kit.provider.aws.stack.StackResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The service stacks of one {@code up}, as one change: deployed in parallel; when any fails (its
 * change failed and CloudFormation rolled it back, or its instances never served and {@code up}
 * rolled it back), every other stack this {@code up} updated is deployed again with the template
 * and parameters it had (CloudFormation then replaces its scaling group back to the previous
 * image), and every stack it created is deleted, all in parallel. The error says what became of
 * each, and for a stack whose rollback failed too, what it runs.
 */
final class StackRollout {
    /** What the rollout does to one stack; on CloudFormation in {@link AwsOperations}, in memory in tests. */
    interface Stacks {
        /** Deploys the request and waits until its instances serve; throws why not (after rolling back its own update). */
        StackResult deploy(StackRequest request);

        /** Deploys a stack again as it was before this up. */
        void redeploy(StackRequest previous);

        /** Deletes a stack this up created. */
        void delete(String stackName);
    }

    private final Stacks stacks;
    private final ParallelStacks parallel;
    private final Consumer<String> log;

    StackRollout(Stacks stacks, ParallelStacks parallel, Consumer<String> log) {
        this.stacks = stacks;
        this.parallel = parallel;
        this.log = log;
    }

    /** The results in the requests' order; when any failed, throws after rolling back the others, saying how each ended. */
    List<StackResult> deploy(List<StackRequest> requests) {
        List<ParallelStacks.Attempt<StackResult>> attempts = parallel.attempt(requests, stacks::deploy);
        if (attempts.stream().noneMatch(ParallelStacks.Attempt::failed)) {
            return attempts.stream().map(ParallelStacks.Attempt::result).toList();
        }
        List<String> failed = new ArrayList<>();
        for (int i = 0; i < requests.size(); i++) {
            if (attempts.get(i).failed()) {
                failed.add(service(requests.get(i)));
            }
        }
        String cause = "the update of " + String.join(" and ", failed) + " failed";
        List<Integer> indexes = java.util.stream.IntStream.range(0, requests.size()).boxed().toList();
        List<String> lines = parallel.run(indexes, i -> fate(requests.get(i), attempts.get(i), cause));
        long stuck = lines.stream().filter(line -> line.contains(": NOT rolled back: ")).count();
        String head = stuck == 0 ? "the update failed and every service stack it changed was rolled back:"
                : "the update failed and " + stuck + (stuck == 1 ? " service stack" : " service stacks")
                + " could not be rolled back (the others were):";
        throw new I2kitException(head + "\n  " + String.join("\n  ", lines.stream().filter(l -> !l.isEmpty()).toList()));
    }

    /** One stack after a failed up: its failure, or what its rollback did; empty for a stack up did not change. */
    private String fate(StackRequest request, ParallelStacks.Attempt<StackResult> attempt, String cause) {
        String service = service(request);
        if (attempt.failed()) {
            return service + ": failed: " + attempt.failure().getMessage();
        }
        StackResult result = attempt.result();
        String name = request.stackName();
        try {
            switch (result.action()) {
                case UNCHANGED -> {
                    return "";
                }
                case CREATED, RECREATED -> {
                    log.accept("[" + name + "] " + cause + ": deleting the stack this up created");
                    stacks.delete(name);
                    return service + ": rolled back: " + name + ", created by this up, deleted because " + cause;
                }
                default -> {
                    Optional<StackRequest> previous = result.replaced();
                    if (previous.isEmpty()) {
                        return service + ": NOT rolled back: " + name + " was updated, but what it ran before is unknown; "
                                + "it runs this up's " + image(request);
                    }
                    log.accept("[" + name + "] " + cause + ": rolling back to what ran before");
                    stacks.redeploy(previous.get());
                    return service + ": rolled back: " + name + " deployed again as it was (" + image(previous.get())
                            + ") because " + cause;
                }
            }
        } catch (RuntimeException e) {
            return service + ": NOT rolled back: " + name + " runs this up's " + image(request) + "; it was "
                    + result.action().name().toLowerCase(java.util.Locale.ROOT) + ", then " + cause
                    + ", and its rollback failed: " + e.getMessage();
        }
    }

    private static String image(StackRequest request) {
        return ApplicationStacks.IMAGE_ID + " " + request.parameters().getOrDefault(ApplicationStacks.IMAGE_ID, "?");
    }

    private static String service(StackRequest request) {
        return request.tags().getOrDefault(ApplicationStacks.SERVICE_TAG, request.stackName());
    }
}
