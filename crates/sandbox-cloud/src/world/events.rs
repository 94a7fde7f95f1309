//! Timed events: closures applied to the world (`W`) when the simulated clock reaches them.
//! Generic over the world so this queue needs nothing above it.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use crate::clock::SimTime;

pub type Event<W> = Box<dyn FnOnce(&mut W, SimTime) + Send>;

pub struct EventQueue<W> {
    order: BinaryHeap<Reverse<(SimTime, u64)>>,
    events: HashMap<u64, Event<W>>,
    seq: u64,
}

impl<W> Default for EventQueue<W> {
    fn default() -> Self {
        Self {
            order: BinaryHeap::new(),
            events: HashMap::new(),
            seq: 0,
        }
    }
}

impl<W> EventQueue<W> {
    pub fn schedule(&mut self, at: SimTime, event: Event<W>) {
        self.seq += 1;
        self.order.push(Reverse((at, self.seq)));
        self.events.insert(self.seq, event);
    }

    /// The earliest event due at `now` or before; ties keep scheduling order.
    pub fn pop_due(&mut self, now: SimTime) -> Option<(SimTime, Event<W>)> {
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
