//! Timed events: closures applied to the world when the simulated clock reaches them.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::World;
use crate::clock::SimTime;

pub type Event = Box<dyn FnOnce(&mut World, SimTime) + Send>;

#[derive(Default)]
pub struct EventQueue {
    order: BinaryHeap<Reverse<(SimTime, u64)>>,
    events: HashMap<u64, Event>,
    seq: u64,
}

impl EventQueue {
    pub fn schedule(&mut self, at: SimTime, event: Event) {
        self.seq += 1;
        self.order.push(Reverse((at, self.seq)));
        self.events.insert(self.seq, event);
    }

    /// The earliest event due at `now` or before; ties keep scheduling order.
    pub fn pop_due(&mut self, now: SimTime) -> Option<(SimTime, Event)> {
        let Reverse((at, seq)) = *self.order.peek()?;
        if at > now {
            return None;
        }
        self.order.pop();
        self.events.remove(&seq).map(|e| (at, e))
    }

    pub fn len(&self) -> usize {
        self.events.len()
    }

    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }
}
