//! Decoded pack entries kept while history is read. Git stores each version of a tree or
//! file as a delta of another, in chains up to 50 long; without a cache every object read
//! decompresses its whole chain again.

use std::collections::{HashMap, VecDeque};

use gix::objs::Kind;
use gix::odb::pack::cache::DecodeEntry;

/// At most this many bytes of decoded objects are kept; the oldest go first.
const CAPACITY: usize = 32 * 1024 * 1024;

#[derive(Default)]
pub struct PackCache {
    entries: HashMap<(u32, u64), (Kind, Vec<u8>)>,
    order: VecDeque<(u32, u64)>,
    bytes: usize,
}

impl DecodeEntry for PackCache {
    fn put(&mut self, pack_id: u32, offset: u64, data: &[u8], kind: Kind, _compressed: usize) {
        let key = (pack_id, offset);
        if data.len() > CAPACITY / 8 || self.entries.contains_key(&key) {
            return;
        }
        self.entries.insert(key, (kind, data.to_vec()));
        self.order.push_back(key);
        self.bytes += data.len();
        while self.bytes > CAPACITY {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((_, d)) = self.entries.remove(&old) {
                self.bytes -= d.len();
            }
        }
    }

    fn get(&mut self, pack_id: u32, offset: u64, out: &mut Vec<u8>) -> Option<(Kind, usize)> {
        let (kind, data) = self.entries.get(&(pack_id, offset))?;
        out.clear();
        out.extend_from_slice(data);
        Some((*kind, data.len()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_entries_until_the_capacity_is_used_then_drops_the_oldest() {
        let mut cache = PackCache::default();
        let big = vec![7u8; CAPACITY / 8];
        let mut out = Vec::new();
        for offset in 0..8 {
            cache.put(1, offset, &big, Kind::Tree, 10);
        }
        assert_eq!(cache.get(1, 0, &mut out), Some((Kind::Tree, big.len())));
        assert_eq!(out, big);
        // The ninth pushes the total over the capacity: the first one goes.
        cache.put(1, 8, &big, Kind::Blob, 10);
        assert_eq!(cache.get(1, 0, &mut out), None);
        assert_eq!(cache.get(1, 8, &mut out), Some((Kind::Blob, big.len())));
        // Too large to keep at all.
        cache.put(2, 0, &vec![0u8; CAPACITY / 8 + 1], Kind::Blob, 10);
        assert_eq!(cache.get(2, 0, &mut out), None);
    }
}
