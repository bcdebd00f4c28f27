//! Batches of source messages: one byte buffer, many messages, no allocation per row.
//!
//! In: message values (and keys) appended by a source. Out: [`Message`] views over the
//! shared buffer, handed to the generated decoder one by one. A batch is cleared and
//! reused, so its buffers grow to the working size once and stay there. A file source
//! reads straight into the buffer ([`MessageBatch::read_from`]) and registers the
//! lines in place: a message's bytes are copied once, by the kernel.

/// One source message: a Kafka record, or one line of a JSON-lines file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Message<'a> {
    pub key: Option<&'a [u8]>,
    pub value: &'a [u8],
    pub topic: &'a str,
    pub partition: i32,
    pub offset: i64,
    /// The record's timestamp (epoch millis), when the source has one.
    pub timestamp: Option<i64>,
}

#[derive(Clone, Copy, Debug)]
struct Entry {
    key: Option<(u32, u32)>,
    value: (u32, u32),
    topic: u16,
    partition: i32,
    offset: i64,
    timestamp: Option<i64>,
}

/// A reusable batch of messages.
///
/// ```
/// use streamsql_runtime::batch::MessageBatch;
/// let mut b = MessageBatch::default();
/// b.push(None, b"{\"a\":1}", "t", 0, 7, None);
/// b.push(Some(b"k"), b"{\"a\":2}", "t", 0, 8, Some(1_000));
/// let m: Vec<_> = b.iter().collect();
/// assert_eq!(m[1].key, Some(&b"k"[..]));
/// assert_eq!(m[1].offset, 8);
/// b.clear();
/// assert!(b.is_empty());
/// ```
#[derive(Debug, Default)]
pub struct MessageBatch {
    /// `bytes[..used]` holds this batch's data; the rest is reusable scratch (kept
    /// initialised so reads need no zeroing).
    bytes: Vec<u8>,
    used: usize,
    entries: Vec<Entry>,
    topics: Vec<String>,
}

impl MessageBatch {
    pub fn with_capacity(messages: usize, bytes: usize) -> Self {
        MessageBatch {
            bytes: Vec::with_capacity(bytes),
            used: 0,
            entries: Vec::with_capacity(messages),
            topics: Vec::new(),
        }
    }

    pub fn clear(&mut self) {
        self.used = 0;
        self.entries.clear();
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Bytes of keys and values held.
    pub fn byte_len(&self) -> usize {
        self.used
    }

    /// Makes `bytes[used..used + n]` available.
    fn reserve(&mut self, n: usize) {
        let need = self.used + n;
        if need > self.bytes.len() {
            let grown = need.max(self.bytes.len() * 2).max(4096);
            self.bytes.resize(grown, 0);
        }
    }

    fn topic_index(&mut self, topic: &str) -> u16 {
        match self.topics.iter().position(|t| t == topic) {
            Some(i) => i as u16,
            None => {
                self.topics.push(topic.to_string());
                (self.topics.len() - 1) as u16
            }
        }
    }

    fn append(&mut self, bytes: &[u8]) -> (u32, u32) {
        let start = self.used;
        self.reserve(bytes.len());
        self.bytes[start..start + bytes.len()].copy_from_slice(bytes);
        self.used += bytes.len();
        (start as u32, bytes.len() as u32)
    }

    /// Appends one message (key and value are copied into the batch's buffer).
    pub fn push(
        &mut self,
        key: Option<&[u8]>,
        value: &[u8],
        topic: &str,
        partition: i32,
        offset: i64,
        timestamp: Option<i64>,
    ) {
        let topic = self.topic_index(topic);
        let key = key.map(|k| self.append(k));
        let value = self.append(value);
        self.entries.push(Entry {
            key,
            value,
            topic,
            partition,
            offset,
            timestamp,
        });
    }

    /// Reads once from `r` (at most `max` bytes) onto the end of the batch's data,
    /// without registering a message; returns the bytes read (0 at the end).
    ///
    /// ```
    /// use streamsql_runtime::batch::MessageBatch;
    /// let mut b = MessageBatch::default();
    /// let n = b.read_from(&mut &b"{\"a\":1}\n{\"a\""[..], 1 << 16).unwrap();
    /// assert_eq!(n, 12);
    /// let line = b.unregistered(0).iter().position(|c| *c == b'\n').unwrap();
    /// b.register(0, line, "t", 0, 0, None);
    /// b.truncate(line + 1); // the partial second line goes (the caller keeps it)
    /// assert_eq!(b.get(0).value, b"{\"a\":1}");
    /// ```
    pub fn read_from(&mut self, r: &mut dyn std::io::Read, max: usize) -> std::io::Result<usize> {
        self.reserve(max);
        let at = self.used;
        let n = loop {
            match r.read(&mut self.bytes[at..at + max]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            }
        };
        self.used += n;
        Ok(n)
    }

    /// Appends bytes to the batch's data without registering a message (e.g. the
    /// start of a line that the previous read cut).
    pub fn extend(&mut self, bytes: &[u8]) {
        self.append(bytes);
    }

    /// The batch's data from byte `from` on (what is read but not registered).
    pub fn unregistered(&self, from: usize) -> &[u8] {
        &self.bytes[from..self.used]
    }

    /// Registers `len` bytes of the batch's data at `start` as one message's value.
    pub fn register(
        &mut self,
        start: usize,
        len: usize,
        topic: &str,
        partition: i32,
        offset: i64,
        timestamp: Option<i64>,
    ) {
        debug_assert!(start + len <= self.used);
        let topic = self.topic_index(topic);
        self.entries.push(Entry {
            key: None,
            value: (start as u32, len as u32),
            topic,
            partition,
            offset,
            timestamp,
        });
    }

    /// Drops the batch's data from byte `len` on (no registered message may use it).
    pub fn truncate(&mut self, len: usize) {
        self.used = self.used.min(len);
    }

    pub fn get(&self, i: usize) -> Message<'_> {
        let e = &self.entries[i];
        let slice = |(s, l): (u32, u32)| &self.bytes[s as usize..(s + l) as usize];
        Message {
            key: e.key.map(slice),
            value: slice(e.value),
            topic: &self.topics[e.topic as usize],
            partition: e.partition,
            offset: e.offset,
            timestamp: e.timestamp,
        }
    }

    pub fn iter(&self) -> impl Iterator<Item = Message<'_>> {
        (0..self.entries.len()).map(|i| self.get(i))
    }
}
