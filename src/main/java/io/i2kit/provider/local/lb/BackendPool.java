package io.i2kit.provider.local.lb;

import io.i2kit.provider.Waiter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The backends of one load balancer and their states; picks the next in-service backend round-robin.
 * Shared by the relay thread (picks, connection counts), the health threads and the caller (state),
 * hence synchronized; every change raises the signal a drain waits on.
 */
final class BackendPool {
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Waiter.Signal changes = new Waiter.Signal();
    private int cursor;

    static final class Member {
        final Backend backend;
        volatile BackendState state = BackendState.STARTING;
        volatile HealthChecker.Watch watch;
        final AtomicInteger active = new AtomicInteger();

        Member(Backend backend) {
            this.backend = backend;
        }
    }

    synchronized Member add(Backend backend) {
        if (members.containsKey(backend.id())) {
            throw new IllegalArgumentException("backend " + backend.id() + " is already registered");
        }
        Member member = new Member(backend);
        members.put(backend.id(), member);
        return member;
    }

    synchronized Optional<Member> get(String id) {
        return Optional.ofNullable(members.get(id));
    }

    /** The previous state when this changed it; a draining backend never comes back into service. */
    synchronized Optional<BackendState> setState(String id, BackendState state) {
        Member member = members.get(id);
        if (member == null || member.state == state
                || (member.state == BackendState.DRAINING && state != BackendState.DRAINING)) {
            return Optional.empty();
        }
        BackendState before = member.state;
        member.state = state;
        changes.raise();
        return Optional.of(before);
    }

    synchronized void remove(String id) {
        members.remove(id);
        changes.raise();
    }

    synchronized boolean anyInService() {
        return members.values().stream().anyMatch(m -> m.state.inService());
    }

    /** The next in-service backend that forwards {@code instancePort}, counted as serving one more connection. */
    synchronized Optional<Member> take(int instancePort, Set<String> exclude) {
        List<Member> candidates = new ArrayList<>();
        for (Member m : members.values()) {
            if (m.state.inService() && m.backend.endpoints().containsKey(instancePort) && !exclude.contains(m.backend.id())) {
                candidates.add(m);
            }
        }
        if (candidates.isEmpty()) {
            return Optional.empty();
        }
        Member chosen = candidates.get(Math.floorMod(cursor++, candidates.size()));
        chosen.active.incrementAndGet();
        return Optional.of(chosen);
    }

    void release(Member member) {
        member.active.decrementAndGet();
        changes.raise();
    }

    Waiter.Signal changes() {
        return changes;
    }

    synchronized List<BackendStatus> snapshot() {
        return members.values().stream()
                .map(m -> new BackendStatus(m.backend.id(), m.state, m.active.get()))
                .toList();
    }

    synchronized List<Member> all() {
        return List.copyOf(members.values());
    }
}
