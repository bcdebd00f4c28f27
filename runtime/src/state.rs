//! Keyed operator state with a time-to-live (Flink's `table.exec.state.ttl`).
//!
//! In: entries written under a key at a processing time (`now_ms`, epoch millis), and
//! the clock through [`KeyedState::expire`]. Out: the entries whose last write is
//! younger than the TTL; older ones count as absent and are dropped.
//!
//! Semantics are Flink 2.3's `StateTtlConfig` as the table runtime builds it
//! (`StateConfigUtil.createTtlConfig`): `OnCreateAndWrite` (a write refreshes an
//! entry; [`get_mut`](KeyedState::get_mut) is a write, [`get`](KeyedState::get) is
//! not) and `NeverReturnExpired` (an expired entry is never returned, even before it
//! is cleaned up). An entry written at `t` is expired from `t + ttl` on (`TtlUtils.
//! expired`: `t + ttl <= now`, the sum saturating). A TTL of `None` or `<= 0` is no
//! TTL (Flink: a retention of 0 disables it).
//!
//! The clock is the largest `now_ms` seen, so a processing-time clock that steps
//! back never revives or refreshes anything in the past.

use std::borrow::Borrow;
use std::collections::BinaryHeap;
use std::collections::hash_map::Entry;
use std::hash::Hash;

use crate::key::FastHashMap;

/// Whether an entry last written at `written` has expired at `now` (Flink's
/// `TtlUtils.expired`).
pub(crate) fn expired(written: i64, ttl: Option<i64>, now: i64) -> bool {
    ttl.is_some_and(|ttl| written.saturating_add(ttl) <= now)
}

/// A TTL that is on: `Some(ttl)` with `ttl > 0`.
pub(crate) fn effective_ttl(ttl_ms: Option<i64>) -> Option<i64> {
    ttl_ms.filter(|t| *t > 0)
}

/// A key due for a check at `at` (a time no later than its entry's last write).
/// `ticket` tells the live schedule of a key from stale ones left by a removed
/// entry. Ordered so that `BinaryHeap` (a max-heap) pops the earliest first.
#[derive(Debug)]
pub(crate) struct Due<K> {
    pub(crate) at: i64,
    pub(crate) ticket: u64,
    pub(crate) key: K,
}

impl<K> PartialEq for Due<K> {
    fn eq(&self, other: &Self) -> bool {
        (self.at, self.ticket) == (other.at, other.ticket)
    }
}

impl<K> Eq for Due<K> {}

impl<K> PartialOrd for Due<K> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl<K> Ord for Due<K> {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (other.at, other.ticket).cmp(&(self.at, self.ticket))
    }
}

#[derive(Debug)]
struct Slot<V> {
    /// None: expired on lookup, waiting for `expire` to drop the key.
    v: Option<V>,
    written: i64,
    ticket: u64,
}

/// Per-key state with an optional time-to-live, keyed by an owned key `K` (an
/// encoded key: `[u8; N]` or `Box<[u8]>`) and looked up by its borrowed form.
///
/// With a TTL, every key is scheduled in a min-heap at a time no later than its last
/// write, so [`expire`](Self::expire) looks only at keys that may have expired: it
/// costs nothing while none has, and each live key is rescheduled at most once per
/// TTL period (the key is cloned once, when it is created). Without a TTL nothing is
/// scheduled and `expire` returns at once.
///
/// ```
/// use streamsql_runtime::state::KeyedState;
/// let mut s: KeyedState<Box<[u8]>, i64> = KeyedState::new(Some(1_000));
/// *s.insert(b"k".as_slice().into(), 1, 0) += 1;
/// assert_eq!(s.get_mut(b"k".as_slice(), 999).copied(), Some(2)); // refreshed at 999
/// assert_eq!(s.get_mut(b"k".as_slice(), 1_998).copied(), Some(2));
/// assert_eq!(s.get_mut(b"k".as_slice(), 2_998), None); // last written 1_998
/// assert_eq!(s.expire(3_000), 1);
/// assert!(s.is_empty());
/// ```
#[derive(Debug)]
pub struct KeyedState<K, V> {
    ttl: Option<i64>,
    now: i64,
    map: FastHashMap<K, Slot<V>>,
    /// Slots with `v == None`.
    dead: usize,
    due: BinaryHeap<Due<K>>,
    tickets: u64,
}

impl<K: Hash + Eq + Clone, V> KeyedState<K, V> {
    /// `ttl_ms`: Flink's `table.exec.state.ttl` in milliseconds (`None` or `<= 0`:
    /// entries never expire).
    pub fn new(ttl_ms: Option<i64>) -> Self {
        Self {
            ttl: effective_ttl(ttl_ms),
            now: i64::MIN,
            map: FastHashMap::default(),
            dead: 0,
            due: BinaryHeap::new(),
            tickets: 0,
        }
    }

    pub fn ttl_ms(&self) -> Option<i64> {
        self.ttl
    }

    fn tick(&mut self, now_ms: i64) -> i64 {
        self.now = self.now.max(now_ms);
        self.now
    }

    /// The entry of `key` for writing: refreshes its write time. An entry last
    /// written a TTL or more ago is absent: it is dropped and `None` returned.
    pub fn get_mut<Q>(&mut self, key: &Q, now_ms: i64) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let now = self.tick(now_ms);
        let slot = self.map.get_mut(key)?;
        slot.v.as_ref()?;
        if expired(slot.written, self.ttl, now) {
            // Dropped now; the key itself goes at the next `expire` (taking it out of
            // the map here would cost a second lookup on every hit).
            slot.v = None;
            self.dead += 1;
            return None;
        }
        slot.written = now;
        slot.v.as_mut()
    }

    /// The entry of `key` for reading only (does not refresh it: Flink's
    /// `OnCreateAndWrite`).
    pub fn get<Q>(&self, key: &Q, now_ms: i64) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let now = self.now.max(now_ms);
        let slot = self.map.get(key)?;
        if expired(slot.written, self.ttl, now) {
            return None;
        }
        slot.v.as_ref()
    }

    /// Sets the entry of `key` (replacing any), written at `now_ms`.
    pub fn insert(&mut self, key: K, v: V, now_ms: i64) -> &mut V {
        let now = self.tick(now_ms);
        match self.map.entry(key) {
            Entry::Occupied(o) => {
                let slot = o.into_mut();
                if slot.v.is_none() {
                    self.dead -= 1;
                }
                slot.written = now;
                slot.v.insert(v)
            }
            Entry::Vacant(e) => {
                let ticket = self.tickets;
                self.tickets += 1;
                if self.ttl.is_some() {
                    self.due.push(Due {
                        at: now,
                        ticket,
                        key: e.key().clone(),
                    });
                }
                let slot = e.insert(Slot {
                    v: None,
                    written: now,
                    ticket,
                });
                slot.v.insert(v)
            }
        }
    }

    /// Takes the entry of `key` out (`None` if absent or expired).
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: ?Sized + Hash + Eq,
    {
        let slot = self.map.remove(key)?;
        if slot.v.is_none() {
            self.dead -= 1;
        }
        // Its schedule stays in the heap; `expire` finds no entry and drops it.
        if expired(slot.written, self.ttl, self.now) {
            return None;
        }
        slot.v
    }

    /// Drops every entry last written a TTL or more before `now_ms`; returns how
    /// many keys were dropped (entries already found expired by `get_mut`
    /// included). Without a TTL it does nothing.
    pub fn expire(&mut self, now_ms: i64) -> usize {
        let Some(ttl) = self.ttl else {
            return 0;
        };
        let now = self.tick(now_ms);
        let mut dropped = 0;
        while let Some(top) = self.due.peek() {
            if !expired(top.at, Some(ttl), now) {
                break;
            }
            let Some(mut due) = self.due.pop() else {
                break;
            };
            let Some(slot) = self.map.get(&due.key) else {
                continue; // removed
            };
            if slot.ticket != due.ticket {
                continue; // removed, and created again with a schedule of its own
            }
            if expired(slot.written, Some(ttl), now) {
                if let Some(slot) = self.map.remove(&due.key)
                    && slot.v.is_none()
                {
                    self.dead -= 1;
                }
                dropped += 1;
            } else {
                due.at = slot.written;
                self.due.push(due);
            }
        }
        dropped
    }

    /// Entries held, including any that expired since the last
    /// [`expire`](Self::expire) (call it first for only live ones).
    pub fn len(&self) -> usize {
        self.map.len() - self.dead
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The entries held (see [`len`](Self::len)), in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (&K, &V)> {
        self.map
            .iter()
            .filter_map(|(k, s)| s.v.as_ref().map(|v| (k, v)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// xorshift64: a fixed, dependency-free stream of test cases.
    struct Rng(u64);

    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n as u64) as usize
        }
    }

    #[test]
    fn state_without_ttl_never_expires() {
        let mut s: KeyedState<[u8; 2], u32> = KeyedState::new(None);
        s.insert(*b"ab", 1, 0);
        assert_eq!(s.get_mut(&b"ab"[..], i64::MAX).copied(), Some(1));
        assert_eq!(s.expire(i64::MAX), 0);
        assert_eq!(s.len(), 1);
        assert_eq!(KeyedState::<[u8; 2], u32>::new(Some(0)).ttl_ms(), None);
        assert_eq!(s.remove(&b"ab"[..]), Some(1));
        assert_eq!(s.remove(&b"ab"[..]), None);
        assert!(s.is_empty());
    }

    #[test]
    fn state_ttl_boundary_is_flinks() {
        let mut s: KeyedState<Box<[u8]>, u32> = KeyedState::new(Some(10));
        s.insert(b"k".as_slice().into(), 1, 100);
        assert_eq!(s.get(b"k".as_slice(), 109), Some(&1));
        assert_eq!(s.get(b"k".as_slice(), 110), None, "written + ttl <= now");
        // get() does not refresh; get_mut() does.
        assert!(s.get_mut(b"k".as_slice(), 109).is_some());
        assert!(s.get_mut(b"k".as_slice(), 118).is_some());
        assert!(s.get_mut(b"k".as_slice(), 128).is_none());
        assert_eq!(s.len(), 0, "found expired: gone");
        assert_eq!(s.iter().count(), 0);
        // Inserting over the dropped entry revives the key.
        s.insert(b"k".as_slice().into(), 2, 128);
        assert_eq!(s.len(), 1);
        assert_eq!(s.expire(137), 0);
        assert_eq!(s.expire(138), 1);
        assert_eq!(s.len(), 0);
        assert_eq!(s.map.len(), 0);
        // Saturating: no overflow near the end of time.
        let mut m: KeyedState<[u8; 1], ()> = KeyedState::new(Some(i64::MAX));
        m.insert([0], (), i64::MAX - 1);
        assert_eq!(m.expire(i64::MAX - 1), 0);
    }

    #[test]
    fn state_clock_never_steps_back() {
        let mut s: KeyedState<[u8; 1], u8> = KeyedState::new(Some(10));
        s.insert([1], 1, 100);
        // A write "at 50" is a write at 100.
        s.insert([2], 2, 50);
        assert_eq!(s.get(&[2u8][..], 109), Some(&2));
        assert_eq!(s.expire(110), 2);
    }

    /// Random writes, reads, removals and expiries against a plain map of
    /// (value, last write).
    #[test]
    fn state_matches_a_naive_model() {
        let mut r = Rng(0xfeed);
        for ttl in [None, Some(1), Some(5), Some(40)] {
            let mut s: KeyedState<Box<[u8]>, u64> = KeyedState::new(ttl);
            let mut model: std::collections::HashMap<Vec<u8>, (u64, i64)> = Default::default();
            let mut now = 0i64;
            for step in 0..5000u64 {
                now += r.below(3) as i64;
                let k = vec![r.below(12) as u8];
                let live = |m: &std::collections::HashMap<Vec<u8>, (u64, i64)>, k: &[u8]| {
                    m.get(k)
                        .filter(|(_, w)| !expired(*w, ttl, now))
                        .map(|e| e.0)
                };
                match r.below(5) {
                    0 => {
                        s.insert(k.clone().into(), step, now);
                        model.insert(k, (step, now));
                    }
                    1 => {
                        let want = live(&model, &k);
                        let got = s.get_mut(&k[..], now).map(|v| {
                            *v += 1;
                            *v
                        });
                        match want {
                            Some(v) => {
                                model.insert(k, (v + 1, now));
                                assert_eq!(got, Some(v + 1));
                            }
                            None => {
                                model.remove(&k);
                                assert_eq!(got, None);
                            }
                        }
                    }
                    2 => {
                        assert_eq!(s.get(&k[..], now).copied(), live(&model, &k));
                    }
                    3 => {
                        // `remove` uses the clock of the last call.
                        let clock = s.now;
                        let want = model
                            .remove(&k)
                            .filter(|(_, w)| !expired(*w, ttl, clock))
                            .map(|e| e.0);
                        assert_eq!(s.remove(&k[..]), want);
                    }
                    _ => {
                        let before = model.len();
                        model.retain(|_, (_, w)| !expired(*w, ttl, now));
                        let dropped = s.expire(now);
                        assert!(dropped >= before - model.len());
                        assert_eq!(s.len(), model.len());
                        let mut got: Vec<(Vec<u8>, u64)> =
                            s.iter().map(|(k, v)| (k.to_vec(), *v)).collect();
                        let mut want: Vec<(Vec<u8>, u64)> =
                            model.iter().map(|(k, (v, _))| (k.clone(), *v)).collect();
                        got.sort();
                        want.sort();
                        assert_eq!(got, want);
                        if ttl.is_none() {
                            assert!(s.due.is_empty());
                        } else {
                            // Each live key is scheduled once; stale schedules of removed
                            // keys stay at most a TTL.
                            assert!(s.due.len() <= s.map.len() + 5000);
                        }
                    }
                }
            }
        }
    }
}
