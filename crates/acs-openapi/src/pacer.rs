//! Pacing after a throttle. Once the gateway refused an action with a `TimeLeft`, every
//! call of that action from this client takes a turn, spaced by the longest `TimeLeft`
//! seen, instead of all its waiting callers retrying at the same instant and being
//! refused together again (a batch of hundreds of `InvokeCommand`s otherwise spends most
//! of its tries on throttled replies).
//!
//! A `TimeLeft` sent with `Remain:0` is the time until the next token, so the longest one
//! seen approaches the gateway's interval between tokens; the limits themselves are not
//! published (reference §7.2), which is why they are learnt from the replies. The pace is
//! kept per action (a client holds one account's credentials, and whether a limit is per
//! region is not known either) and dropped after a quiet spell, when the bucket has
//! refilled and bursts are fine again.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use crate::endpoint::Product;

/// Turns left unused before pacing stops: the gateway's bucket has refilled by as many.
const QUIET_TURNS: u32 = 4;

/// Turns come this share of the longest `TimeLeft` apart, a little faster than the
/// bucket refills. At exactly its pace, every turn that reaches the gateway a moment
/// early is refused and lost for good while its token piles up unused; slightly faster,
/// the next turn takes that token, and the few extra refusals cost a call, not time.
const TURN_SHARE: (u32, u32) = (9, 10);

#[derive(Debug, Default)]
pub struct ThrottlePacer {
    paces: Mutex<HashMap<(Product, &'static str), Pace>>,
}

#[derive(Debug, Clone, Copy)]
struct Pace {
    interval: Duration,
    /// The next free turn.
    next: Instant,
}

impl ThrottlePacer {
    /// How long this call waits for its turn (zero when the action is not paced); the turn
    /// is taken at once, so callers asking together get successive turns.
    pub fn take_turn(&self, product: Product, action: &'static str) -> Duration {
        let mut paces = self.paces.lock().expect("pacer lock");
        let Some(p) = paces.get_mut(&(product, action)) else {
            return Duration::ZERO;
        };
        let now = Instant::now();
        if p.next + p.interval * QUIET_TURNS < now {
            paces.remove(&(product, action));
            return Duration::ZERO;
        }
        let turn = p.next.max(now);
        p.next = turn + p.interval * TURN_SHARE.0 / TURN_SHARE.1;
        turn - now
    }

    /// A throttled reply that asked for `time_left`: pace the action by it from now on.
    pub fn throttled(&self, product: Product, action: &'static str, time_left: Duration) {
        if time_left.is_zero() {
            return;
        }
        let mut paces = self.paces.lock().expect("pacer lock");
        let earliest = Instant::now() + time_left;
        paces
            .entry((product, action))
            .and_modify(|p| {
                p.interval = p.interval.max(time_left);
                p.next = p.next.max(earliest);
            })
            .or_insert(Pace {
                interval: time_left,
                next: earliest,
            });
    }

    /// The interval an action is paced by, if it is (for tests and diagnostics).
    pub fn interval(&self, product: Product, action: &'static str) -> Option<Duration> {
        let paces = self.paces.lock().expect("pacer lock");
        paces.get(&(product, action)).map(|p| p.interval)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    #[tokio::test(start_paused = true)]
    async fn an_unthrottled_action_never_waits() {
        let p = ThrottlePacer::default();
        p.throttled(Product::Ecs, "InvokeCommand", MS(200));
        assert_eq!(
            p.take_turn(Product::Ecs, "DescribeInstances"),
            Duration::ZERO
        );
        assert_eq!(p.take_turn(Product::Ram, "InvokeCommand"), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn callers_after_a_throttle_get_turns_spaced_by_the_longest_time_left() {
        let p = ThrottlePacer::default();
        p.throttled(Product::Ecs, "InvokeCommand", MS(50));
        p.throttled(Product::Ecs, "InvokeCommand", MS(200));
        let turns: Vec<_> = (0..4)
            .map(|_| p.take_turn(Product::Ecs, "InvokeCommand"))
            .collect();
        // The first when the gateway said, the next 9/10 of the interval apart.
        assert_eq!(turns, [MS(200), MS(380), MS(560), MS(740)]);
        assert_eq!(p.interval(Product::Ecs, "InvokeCommand"), Some(MS(200)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_late_caller_goes_at_once_and_pacing_ends_after_a_quiet_spell() {
        let p = ThrottlePacer::default();
        p.throttled(Product::Ecs, "RunCommand", MS(100));
        tokio::time::advance(MS(250)).await;
        // Its turn is past: no wait, and the next one is an interval later.
        assert_eq!(p.take_turn(Product::Ecs, "RunCommand"), Duration::ZERO);
        assert_eq!(p.take_turn(Product::Ecs, "RunCommand"), MS(90));
        // Four unused turns later the bucket has refilled: no more pacing.
        tokio::time::advance(MS(190) + MS(100) * QUIET_TURNS + MS(1)).await;
        assert_eq!(p.take_turn(Product::Ecs, "RunCommand"), Duration::ZERO);
        assert_eq!(p.interval(Product::Ecs, "RunCommand"), None);
        assert_eq!(p.take_turn(Product::Ecs, "RunCommand"), Duration::ZERO);
    }

    #[tokio::test(start_paused = true)]
    async fn a_throttle_while_paced_pushes_the_next_turn_back() {
        let p = ThrottlePacer::default();
        p.throttled(Product::Ecs, "SendFile", MS(100));
        assert_eq!(p.take_turn(Product::Ecs, "SendFile"), MS(100));
        p.throttled(Product::Ecs, "SendFile", MS(500));
        assert_eq!(p.take_turn(Product::Ecs, "SendFile"), MS(500));
        assert_eq!(p.take_turn(Product::Ecs, "SendFile"), MS(950));
    }
}
